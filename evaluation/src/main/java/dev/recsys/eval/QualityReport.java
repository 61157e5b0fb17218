package dev.recsys.eval;

import java.util.List;
import java.util.Locale;

import dev.recsys.core.quality.ListQuality;

/** The five measures as markdown tables: one row per variant, then each variant by time window. */
public final class QualityReport {

    private static final String HEAD = "| HR@10 | NDCG@10 | distance, genres | distance, item vectors | novelty (bits) "
            + "| coverage | Gini | interactivity |";
    private static final String RULE = "|---|---|---|---|---|---|---|---|---|";

    private QualityReport() {
    }

    public static void printTotals(List<String> variants, List<ListQuality> totals) {
        System.out.println("\nThe five measures (docs/model.md: accuracy, diversity, novelty, coverage, interactivity):\n");
        System.out.println("| variant " + HEAD);
        System.out.println(RULE);
        for (int v = 0; v < variants.size(); v++) {
            System.out.println("| " + variants.get(v) + " " + row(totals.get(v)));
        }
    }

    public static void printWindows(String variant, ListQuality[] windows) {
        System.out.println("\n" + variant + " by time window:\n");
        System.out.println("| window " + HEAD);
        System.out.println(RULE);
        for (int w = 0; w < windows.length; w++) {
            System.out.println("| " + (w + 1) + " " + row(windows[w]));
        }
    }

    private static String row(ListQuality q) {
        return String.format(Locale.ROOT, "| %s | %s | %s | %s | %s | %s | %s | %s |", f(q.hr10()), f(q.ndcg10()),
                f(q.genreDistance()), f(q.vectorDistance()), f(q.novelty()), f(q.coverage()), f(q.gini()),
                f(q.interactivity()));
    }

    private static String f(double x) {
        return Double.isNaN(x) ? "-" : String.format(Locale.ROOT, "%.4f", x);
    }
}

package dev.recsys.stack.replay;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import dev.recsys.core.quality.ListQuality;
import dev.recsys.eval.QualityReport;
import dev.recsys.eval.WarmStart;
import dev.recsys.eval.bench.Machine;

/** The replay's figures as tables, a JSON file and a self-contained HTML page with an SVG plot per measure. */
final class ReplayReport {

    private ReplayReport() {
    }

    static void print(List<ReplayVariant.Result> results, ReplayBenchmark.Options o) {
        System.out.println("\n| variant | scored events | HR@10 | NDCG@10 | events/s | recommend p50 / p99 ms "
                + "| ingest p50 / p99 ms | errors | freshness ingest→recommend p50 / p99 ms "
                + "| freshness ingest→trained snapshot p50 / p99 ms | training steps | model version at the end |");
        System.out.println("|---|---|---|---|---|---|---|---|---|---|---|---|");
        for (ReplayVariant.Result r : results) {
            System.out.printf(Locale.ROOT, "| %s | %,d | %.4f | %.4f | %.0f | %.1f / %.1f | %.1f / %.1f | %d | %s | %s | %s | %s |%n",
                    r.name(), r.scored(), r.hr10(), r.ndcg10(), r.eventsPerSecond(), r.recommendP50(),
                    r.recommendP99(), r.ingestP50(), r.ingestP99(), r.errors(),
                    String.format(Locale.ROOT, "%.1f / %.1f (%d probes, %d timed out)", r.freshIngestP50(),
                            r.freshIngestP99(), r.freshProbes(), r.freshTimeouts()),
                    r.freshTrainEvents() == 0 ? "-" : String.format(Locale.ROOT, "%.0f / %.0f (%,d events)",
                            r.freshTrainP50(), r.freshTrainP99(), r.freshTrainEvents()),
                    Double.isNaN(r.trainingSteps()) ? "-" : String.format(Locale.ROOT, "%.0f", r.trainingSteps()),
                    r.modelVersion());
        }
        System.out.println("\nHR@10 per time window (equal numbers of replayed events, oldest first):\n");
        printWindows(results, o.windows, ReplayVariant.Result::windowHr10);
        System.out.println("\nNDCG@10 per time window:\n");
        printWindows(results, o.windows, ReplayVariant.Result::windowNdcg10);
        QualityReport.printTotals(results.stream().map(ReplayVariant.Result::name).toList(),
                results.stream().map(ReplayVariant.Result::quality).toList());
        for (ReplayVariant.Result r : results) {
            QualityReport.printWindows(r.name(), r.windowQuality());
        }
        System.out.println("\nPreload (the warm part in batches of 1,000) while one client asks recommend in a loop:\n");
        System.out.println("| variant | worker absorbed events/s | recommend answered/s meanwhile |");
        System.out.println("|---|---|---|");
        for (ReplayVariant.Result r : results) {
            System.out.printf(Locale.ROOT, "| %s | %,.0f | %,.0f |%n", r.name(), r.absorbEventsPerSecond(),
                    r.absorbRecommendsPerSecond());
        }
        ReplayVariant.Result online = find(results, "online");
        ReplayVariant.Result frozen = find(results, "frozen");
        if (online != null && frozen != null) {
            System.out.printf(Locale.ROOT, "%nNDCG@10 online / frozen = %.2f%n", online.ndcg10() / frozen.ndcg10());
        }
        ReplayVariant.Result best = bestBaseline(results);
        if (online != null && best != null) {
            System.out.printf(Locale.ROOT, "NDCG@10 online / best baseline (%s) = %.2f; online below it in %d of %d "
                    + "time windows (NDCG@10)%n", best.name(), online.ndcg10() / best.ndcg10(),
                    windowsBelow(online, best), o.windows);
        }
        for (ReplayVariant.Result r : results) {
            ReplayVariant.Paired p = r.paired();
            if (p != null) {
                System.out.printf(Locale.ROOT, "%s against the co-occurrence table on the same requests (the worker's "
                        + "paired measure): NDCG@10 %.5f / %.5f = %.4fx, difference %+.5f ± %.5f (one standard error) "
                        + "over %,d scored lists, %,d of them (%.1f%%) unlike the table's%n", r.name(),
                        p.servedNdcg10(), p.tableNdcg10(), p.servedNdcg10() / p.tableNdcg10(),
                        p.servedNdcg10() - p.tableNdcg10(), p.differenceStandardError(), p.outcomes(), p.differing(),
                        100.0 * p.differing() / p.outcomes());
            }
        }
    }

    private static void printWindows(List<ReplayVariant.Result> results, int windows,
            java.util.function.Function<ReplayVariant.Result, double[]> figure) {
        StringBuilder head = new StringBuilder("| variant |");
        StringBuilder rule = new StringBuilder("|---|");
        for (int w = 0; w < windows; w++) {
            head.append(' ').append(w + 1).append(" |");
            rule.append("---|");
        }
        System.out.println(head);
        System.out.println(rule);
        for (ReplayVariant.Result r : results) {
            StringBuilder row = new StringBuilder("| " + r.name() + " |");
            for (double v : figure.apply(r)) {
                row.append(String.format(Locale.ROOT, " %.4f |", v));
            }
            System.out.println(row);
        }
    }

    /** The online baseline with the highest NDCG@10, or null when none ran. */
    static ReplayVariant.Result bestBaseline(List<ReplayVariant.Result> results) {
        return results.stream().filter(r -> ReplayBenchmark.BASELINES.contains(r.name()))
                .max(java.util.Comparator.comparingDouble(ReplayVariant.Result::ndcg10)).orElse(null);
    }

    static int windowsBelow(ReplayVariant.Result a, ReplayVariant.Result b) {
        int below = 0;
        for (int w = 0; w < a.windowNdcg10().length; w++) {
            if (a.windowNdcg10()[w] < b.windowNdcg10()[w]) {
                below++;
            }
        }
        return below;
    }

    private static ReplayVariant.Result find(List<ReplayVariant.Result> results, String name) {
        return results.stream().filter(r -> r.name().equals(name)).findFirst().orElse(null);
    }

    /** @param warm how the warm start went; null when no variant needed one */
    static void writeJson(List<ReplayVariant.Result> results, ReplayBenchmark.Options o, ReplayData data,
            WarmStart.Fitted warm, Path file) throws IOException {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("machine", Machine.describe());
        Map<String, Object> setup = new LinkedHashMap<>();
        setup.put("data", o.data.toString());
        setup.put("users", data.users);
        setup.put("warmEvents", data.warm.size());
        setup.put("replayedEvents", data.test.size());
        setup.put("warmEpochs", o.warmEpochs);
        setup.put("warmWindows", o.warmWindows.label());
        if (warm != null) {
            setup.put("warmEpochsRun", warm.epochs());
            setup.put("warmEpochKept", warm.keptEpoch());
            setup.put("warmHeldOutNdcg10", warm.heldOutNdcg10());
        }
        setup.put("lanes", o.lanes);
        setup.put("rate", o.rate);
        setup.put("harnessNice", o.harnessNice);
        setup.put("windows", o.windows);
        setup.put("positiveRating", o.positiveRating);
        setup.put("protocol", "prequential: recommend (k=10, exclude seen) before each positive event, then ingest it");
        doc.put("setup", setup);
        doc.put("variants", results);
        ReplayVariant.Result online = find(results, "online");
        ReplayVariant.Result best = bestBaseline(results);
        if (online != null && best != null) {
            doc.put("bestBaseline", best.name());
            doc.put("ndcg10OnlineOverBestBaseline", online.ndcg10() / best.ndcg10());
            doc.put("windowsOnlineBelowBestBaseline", windowsBelow(online, best));
        }
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(file.toFile(), doc);
    }

    /** One plot per measure, every variant a line over the time windows. */
    static void writeHtml(List<ReplayVariant.Result> results, ReplayBenchmark.Options o, Path file) throws IOException {
        StringBuilder plots = new StringBuilder();
        plots.append(plot("HR@10", results, o.windows, ReplayVariant.Result::windowHr10));
        plots.append(plot("NDCG@10", results, o.windows, ReplayVariant.Result::windowNdcg10));
        plots.append(plot("Diversity: intra-list distance over genres", results, o.windows,
                r -> each(r, ListQuality::genreDistance)));
        plots.append(plot("Diversity: intra-list distance over the warm model's item vectors", results, o.windows,
                r -> each(r, ListQuality::vectorDistance)));
        plots.append(plot("Novelty: mean self-information of what was listed (bits)", results, o.windows,
                r -> each(r, ListQuality::novelty)));
        plots.append(plot("Coverage: share of the catalogue listed in the window", results, o.windows,
                r -> each(r, ListQuality::coverage)));
        plots.append(plot("Concentration: Gini index of how often each item was listed", results, o.windows,
                r -> each(r, ListQuality::gini)));
        plots.append(plot("Interactivity: Jaccard distance of a user's list from their list before their own event", results,
                o.windows, r -> each(r, ListQuality::interactivity)));
        String html = """
                <!doctype html>
                <html><head><meta charset="utf-8"><title>Prequential replay over time</title></head>
                <body style="font-family: sans-serif">
                <h2>Prequential replay over time: the five measures</h2>
                <p>%s; %d replayed events, recommend (top 10, seen excluded) asked before each positive event.
                Formulas: docs/model.md.</p>
                %s
                <p>Machine: %s</p>
                </body></html>
                """.formatted(o.data.getFileName(), results.isEmpty() ? 0 : results.get(0).scored(), plots,
                Machine.describe());
        Files.writeString(file, html);
    }

    private static double[] each(ReplayVariant.Result r, java.util.function.ToDoubleFunction<ListQuality> measure) {
        return java.util.Arrays.stream(r.windowQuality()).mapToDouble(measure).toArray();
    }

    private static String plot(String title, List<ReplayVariant.Result> results, int windows,
            java.util.function.Function<ReplayVariant.Result, double[]> figure) {
        int width = 760;
        int height = 300;
        int left = 60;
        int bottom = 40;
        double max = 0;
        for (ReplayVariant.Result r : results) {
            for (double v : figure.apply(r)) {
                if (!Double.isNaN(v)) {
                    max = Math.max(max, v);
                }
            }
        }
        max = max <= 0 ? 1 : max * 1.1;
        String[] colours = { "#d62728", "#1f77b4", "#7f7f7f", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b" };
        StringBuilder svg = new StringBuilder("<h3>" + title + "</h3>");
        svg.append(String.format(Locale.ROOT, "<svg xmlns='http://www.w3.org/2000/svg' width='%d' height='%d'>",
                width, height));
        int plotW = width - left - 20;
        int plotH = height - bottom - 20;
        for (int t = 0; t <= 5; t++) {
            double v = max * t / 5;
            int y = 20 + plotH - (int) (plotH * t / 5.0);
            svg.append(String.format(Locale.ROOT, "<line x1='%d' y1='%d' x2='%d' y2='%d' stroke='#ddd'/>"
                    + "<text x='%d' y='%d' font-size='11' text-anchor='end'>%.3f</text>",
                    left, y, left + plotW, y, left - 6, y + 4, v));
        }
        for (int w = 0; w < windows; w++) {
            int x = left + (windows == 1 ? plotW / 2 : plotW * w / (windows - 1));
            svg.append(String.format(Locale.ROOT, "<text x='%d' y='%d' font-size='11' text-anchor='middle'>%d</text>",
                    x, height - bottom + 16, w + 1));
        }
        svg.append(String.format(Locale.ROOT, "<text x='%d' y='%d' font-size='12' text-anchor='middle'>"
                + "time window of the replay (oldest first)</text>", left + plotW / 2, height - 6));
        for (int i = 0; i < results.size(); i++) {
            ReplayVariant.Result r = results.get(i);
            List<String> points = new ArrayList<>();
            double[] values = figure.apply(r);
            for (int w = 0; w < values.length; w++) {
                if (!Double.isNaN(values[w])) {
                    int x = left + (values.length == 1 ? plotW / 2 : plotW * w / (values.length - 1));
                    int y = 20 + plotH - (int) (plotH * values[w] / max);
                    points.add(x + "," + y);
                }
            }
            String colour = colours[i % colours.length];
            svg.append(String.format(Locale.ROOT, "<polyline fill='none' stroke='%s' stroke-width='2' points='%s'/>",
                    colour, String.join(" ", points)));
            svg.append(String.format(Locale.ROOT, "<text x='%d' y='%d' font-size='12' fill='%s'>%s</text>",
                    left + 10, 34 + 16 * i, colour, r.name()));
        }
        return svg.append("</svg>\n").toString();
    }
}

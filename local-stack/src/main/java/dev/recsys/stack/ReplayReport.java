package dev.recsys.stack;

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

import dev.recsys.eval.bench.Machine;

/** The replay's figures as a table, a JSON file and a self-contained HTML page with an SVG plot. */
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

    static void writeJson(List<ReplayVariant.Result> results, ReplayBenchmark.Options o, ReplayData data, Path file)
            throws IOException {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("machine", Machine.describe());
        Map<String, Object> setup = new LinkedHashMap<>();
        setup.put("data", o.data.toString());
        setup.put("users", data.users);
        setup.put("warmEvents", data.warm.size());
        setup.put("replayedEvents", data.test.size());
        setup.put("warmEpochs", o.warmEpochs);
        setup.put("lanes", o.lanes);
        setup.put("rate", o.rate);
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

    static void writeHtml(List<ReplayVariant.Result> results, ReplayBenchmark.Options o, Path file) throws IOException {
        int width = 760;
        int height = 360;
        int left = 60;
        int bottom = 40;
        double max = 0;
        for (ReplayVariant.Result r : results) {
            for (double v : r.windowHr10()) {
                if (!Double.isNaN(v)) {
                    max = Math.max(max, v);
                }
            }
        }
        max = Math.max(0.01, Math.ceil(max * 20) / 20);
        String[] colours = { "#d62728", "#1f77b4", "#7f7f7f", "#2ca02c", "#9467bd", "#ff7f0e" };
        StringBuilder svg = new StringBuilder();
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
        for (int w = 0; w < o.windows; w++) {
            int x = left + (o.windows == 1 ? plotW / 2 : plotW * w / (o.windows - 1));
            svg.append(String.format(Locale.ROOT, "<text x='%d' y='%d' font-size='11' text-anchor='middle'>%d</text>",
                    x, height - bottom + 16, w + 1));
        }
        svg.append(String.format(Locale.ROOT, "<text x='%d' y='%d' font-size='12' text-anchor='middle'>"
                + "time window of the replay (oldest first)</text>", left + plotW / 2, height - 6));
        for (int i = 0; i < results.size(); i++) {
            ReplayVariant.Result r = results.get(i);
            List<String> points = new ArrayList<>();
            double[] hr = r.windowHr10();
            for (int w = 0; w < hr.length; w++) {
                if (!Double.isNaN(hr[w])) {
                    int x = left + (hr.length == 1 ? plotW / 2 : plotW * w / (hr.length - 1));
                    int y = 20 + plotH - (int) (plotH * hr[w] / max);
                    points.add(x + "," + y);
                }
            }
            String colour = colours[i % colours.length];
            svg.append(String.format(Locale.ROOT, "<polyline fill='none' stroke='%s' stroke-width='2' points='%s'/>",
                    colour, String.join(" ", points)));
            svg.append(String.format(Locale.ROOT, "<text x='%d' y='%d' font-size='12' fill='%s'>%s (HR@10 %.4f)</text>",
                    left + 10, 34 + 16 * i, colour, r.name(), r.hr10()));
        }
        svg.append("</svg>");
        String html = """
                <!doctype html>
                <html><head><meta charset="utf-8"><title>Prequential HR@10 over time</title></head>
                <body style="font-family: sans-serif">
                <h2>Prequential HR@10 over time</h2>
                <p>%s; %d replayed events, recommend (top 10, seen excluded) asked before each positive event.</p>
                %s
                <p>Machine: %s</p>
                </body></html>
                """.formatted(o.data.getFileName(), results.isEmpty() ? 0 : results.get(0).scored(), svg,
                Machine.describe());
        Files.writeString(file, html);
    }
}

package dev.recsys.stack.client;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** One scrape of a worker's {@code /q/metrics} (Prometheus text format), and what benchmarks read from it. */
public final class MetricsScrape {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    /** Sample lines by series (name plus labels, as written). */
    private final Map<String, Double> samples;
    private final int bodyBytes;

    private MetricsScrape(Map<String, Double> samples, int bodyBytes) {
        this.samples = samples;
        this.bodyBytes = bodyBytes;
    }

    /** How big the scraped body was, in UTF-8 bytes. */
    public int bodyBytes() {
        return bodyBytes;
    }

    public static MetricsScrape of(String workerUrl) throws IOException {
        try {
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(workerUrl + "/q/metrics"))
                    .timeout(Duration.ofSeconds(5)).GET().build(), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) {
                throw new IOException(workerUrl + "/q/metrics answered " + r.statusCode());
            }
            return parse(r.body());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    public static MetricsScrape parse(String exposition) {
        Map<String, Double> samples = new LinkedHashMap<>();
        for (String line : exposition.split("\n")) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            int space = line.lastIndexOf(' ');
            try {
                samples.put(line.substring(0, space), Double.parseDouble(line.substring(space + 1)));
            } catch (NumberFormatException | IndexOutOfBoundsException e) {
                // A line this reader does not understand is not one it needs.
            }
        }
        return new MetricsScrape(samples, exposition.getBytes(java.nio.charset.StandardCharsets.UTF_8).length);
    }

    /** The sum of every series of one metric (all label sets), 0 when there is none. */
    public double sum(String metric) {
        return samples.entrySet().stream().filter(e -> e.getKey().equals(metric) || e.getKey().startsWith(metric + "{"))
                .mapToDouble(Map.Entry::getValue).sum();
    }

    /** How many series (label sets) one metric has. */
    public int series(String metric) {
        return (int) samples.keySet().stream().filter(k -> k.equals(metric) || k.startsWith(metric + "{")).count();
    }

    /** The sum of one metric's series whose labels contain {@code labels}, e.g. {@code area="heap"}. */
    public double sumWhere(String metric, String labels) {
        return samples.entrySet().stream().filter(e -> e.getKey().startsWith(metric + "{") && e.getKey().contains(labels))
                .mapToDouble(Map.Entry::getValue).sum();
    }

    /** The series' value, or NaN when absent. */
    public double value(String series) {
        return samples.getOrDefault(series, Double.NaN);
    }

    /**
     * A quantile of what a histogram recorded between {@code before} and this scrape, interpolated within the
     * bucket it falls in; NaN if nothing was recorded.
     *
     * @return in the histogram's unit (seconds for timers)
     */
    public double quantileSince(MetricsScrape before, String histogram, double q) {
        List<double[]> buckets = new ArrayList<>(); // {upper bound, cumulative count}
        String prefix = histogram + "_bucket{";
        for (var e : samples.entrySet()) {
            if (e.getKey().startsWith(prefix)) {
                String le = e.getKey().replaceAll(".*le=\"([^\"]+)\".*", "$1");
                double upper = le.equals("+Inf") ? Double.POSITIVE_INFINITY : Double.parseDouble(le);
                double earlier = before == null ? 0 : before.samples.getOrDefault(e.getKey(), 0.0);
                buckets.add(new double[] { upper, e.getValue() - earlier });
            }
        }
        buckets.sort((a, b) -> Double.compare(a[0], b[0]));
        if (buckets.isEmpty() || buckets.get(buckets.size() - 1)[1] <= 0) {
            return Double.NaN;
        }
        double total = buckets.get(buckets.size() - 1)[1];
        double rank = q * total;
        double lower = 0;
        double below = 0;
        for (double[] b : buckets) {
            if (b[1] >= rank) {
                if (Double.isInfinite(b[0])) {
                    return lower;
                }
                double inBucket = b[1] - below;
                return inBucket <= 0 ? b[0] : lower + (b[0] - lower) * (rank - below) / inBucket;
            }
            lower = b[0];
            below = b[1];
        }
        return lower;
    }

    /** How many observations a histogram or summary gained since {@code before}. */
    public double countSince(MetricsScrape before, String histogram) {
        double now = value(histogram + "_count");
        double then = before == null ? 0 : before.value(histogram + "_count");
        return now - (Double.isNaN(then) ? 0 : then);
    }
}

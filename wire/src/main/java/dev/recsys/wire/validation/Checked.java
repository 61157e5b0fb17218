package dev.recsys.wire.validation;

import java.util.List;
import java.util.stream.Collectors;

/**
 * A record read from a topic: its value when every rule held, otherwise why not.
 *
 * @param violations the first {@link Violations#MAX_LISTED} problems; empty when {@code value} is set
 * @param count      how many problems there were in all
 */
public record Checked<T>(T value, List<Violation> violations, int count) {

    /** Longest reason carried in a dead-letter header. */
    static final int MAX_REASON = 1000;

    public static <T> Checked<T> valid(T value) {
        return new Checked<>(value, List.of(), 0);
    }

    public static <T> Checked<T> refused(Violations v) {
        return new Checked<>(null, v.listed(), v.count());
    }

    public static <T> Checked<T> refused(String field, String reason) {
        Violations v = new Violations();
        v.add(null, field, reason);
        return refused(v);
    }

    public boolean ok() {
        return value != null;
    }

    /** The first problem's field: what a metric counts refusals by ({@code userId}, {@code body}, ...). */
    public String field() {
        return violations.isEmpty() ? Violations.BODY : violations.get(0).field().replaceAll("\\[\\d+]", "[]");
    }

    /** Every listed problem on one line, cut to a size a Kafka header and a log line can carry. */
    public String reason() {
        String all = violations.stream().map(Violation::describe).collect(Collectors.joining("; "));
        if (count > violations.size()) {
            all += "; and " + (count - violations.size()) + " more";
        }
        return all.length() > MAX_REASON ? all.substring(0, MAX_REASON) + "..." : all;
    }
}

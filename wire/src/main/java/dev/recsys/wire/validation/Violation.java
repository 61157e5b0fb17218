package dev.recsys.wire.validation;

/**
 * One thing wrong with a record or request body.
 *
 * @param index position of the offending entry in a batch, or null for a single object
 * @param field the field's name ({@code categories[2]} for a list entry), or {@value Violations#BODY} when
 *              the problem is the whole object
 */
public record Violation(Integer index, String field, String reason) {

    /** {@code field: reason}, as a dead-letter header or a log line gives it. */
    public String describe() {
        return (index == null ? "" : "[" + index + "] ") + field + ": " + reason;
    }
}

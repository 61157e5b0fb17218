package dev.recsys.functions.http;

import java.util.List;

import dev.recsys.wire.validation.Violation;

/**
 * An answer other than success, with the HTTP status and the JSON body it becomes. Thrown by functions and
 * turned into a response by {@link ErrorResponses}.
 */
public final class ApiError extends RuntimeException {

    private final int status;
    private final List<Violation> violations;
    private final int violationCount;

    public ApiError(int status, String message) {
        this(status, message, List.of(), 0);
    }

    public ApiError(int status, String message, List<Violation> violations, int violationCount) {
        super(message, null, false, false);
        this.status = status;
        this.violations = List.copyOf(violations);
        this.violationCount = violationCount;
    }

    public static ApiError badRequest(String message, List<Violation> violations, int violationCount) {
        return new ApiError(400, message, violations, violationCount);
    }

    public int status() {
        return status;
    }

    public List<Violation> violations() {
        return violations;
    }

    public int violationCount() {
        return violationCount;
    }
}

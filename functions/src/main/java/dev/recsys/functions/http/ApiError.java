package dev.recsys.functions.http;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.recsys.wire.validation.Violation;

/**
 * An answer other than success, with the HTTP status and the JSON body it becomes. Thrown by functions and
 * turned into a response by {@link ErrorResponses}.
 */
public final class ApiError extends RuntimeException {

    private final int status;
    private final List<Violation> violations;
    private final int violationCount;
    private final Map<String, Object> details;

    public ApiError(int status, String message) {
        this(status, message, List.of(), 0);
    }

    /** @param details more fields for the body (what became of a batch, its event ids), in this order */
    public ApiError(int status, String message, Map<String, Object> details) {
        super(message, null, false, false);
        this.status = status;
        this.violations = List.of();
        this.violationCount = 0;
        this.details = Collections.unmodifiableMap(new LinkedHashMap<>(details));
    }

    public ApiError(int status, String message, List<Violation> violations, int violationCount) {
        super(message, null, false, false);
        this.status = status;
        this.violations = List.copyOf(violations);
        this.violationCount = violationCount;
        this.details = Map.of();
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

    public Map<String, Object> details() {
        return details;
    }
}

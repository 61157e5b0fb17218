package dev.recsys.functions.http;

import java.util.LinkedHashMap;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.recsys.wire.validation.Violation;
import dev.recsys.wire.validation.Violations;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * Every failed request gets a JSON body saying what went wrong: the function's own {@link ApiError}s, and
 * the failures Funqy and Vert.x raise before a function runs (unparseable JSON, a body over the limit).
 */
@ApplicationScoped
public class ErrorResponses {

    private static final Logger LOG = Logger.getLogger(ErrorResponses.class);

    @Inject
    ObjectMapper json;

    void install(@Observes Router router) {
        router.route().failureHandler(this::handle);
        // No route at all (a misspelt function name) never reaches a route's failure handler.
        router.errorHandler(404, this::handle);
    }

    void handle(RoutingContext ctx) {
        if (ctx.response().ended() || ctx.response().headWritten()) {
            return;
        }
        Throwable failure = ctx.failure();
        ApiError error = toApiError(failure, ctx.statusCode());
        if (error.status() == 500) {
            LOG.errorf(failure, "request to %s failed", ctx.request().path());
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", error.status());
        body.put("error", error.getMessage());
        if (!error.violations().isEmpty()) {
            body.put("violationCount", error.violationCount());
            body.put("violations", error.violations());
        }
        body.putAll(error.details());
        String text;
        try {
            text = json.writeValueAsString(body);
        } catch (JsonProcessingException e) {
            text = "{\"status\":500,\"error\":\"could not write the error\"}";
        }
        ctx.response().setStatusCode(error.status())
                .putHeader("Content-Type", "application/json")
                .end(text);
    }

    /** An error about the body as a whole, which names {@code body} as its field like every other 4xx. */
    private static ApiError wholeBody(int status, String message, String reason) {
        return new ApiError(status, message, java.util.List.of(new Violation(null, Violations.BODY, reason)), 1);
    }

    static ApiError toApiError(Throwable failure, int status) {
        // Funqy wraps what a function throws in its own ApplicationException.
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof ApiError api) {
                return api;
            }
        }
        return switch (status) {
            // Funqy fails with a bare 400 when the body does not parse as JSON.
            case 400 -> wholeBody(400, "the body is not valid JSON", "must be one JSON value in UTF-8");
            case 404 -> new ApiError(404, "no such function");
            case 405 -> new ApiError(405, "use POST with a JSON body");
            case 413 -> wholeBody(413, "the body is larger than the limit (quarkus.http.limits.max-body-size)",
                    "is larger than the limit");
            default -> new ApiError(500, "internal error");
        };
    }
}

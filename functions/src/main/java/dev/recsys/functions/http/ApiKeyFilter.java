package dev.recsys.functions.http;

import dev.recsys.wire.validation.Violation;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

import dev.recsys.functions.FunctionsConfig;

/**
 * Runs before every function: a request without an accepted API key is answered 401 with a JSON error and
 * never reaches a function. Keys are never logged, and neither is what a caller presented.
 */
@ApplicationScoped
public class ApiKeyFilter {

    private static final Logger LOG = Logger.getLogger(ApiKeyFilter.class);

    private final ApiKeys keys;
    private final String header;
    private final List<String> openPaths;

    @Inject
    public ApiKeyFilter(FunctionsConfig config) {
        List<String> accepted = new java.util.ArrayList<>(config.auth().apiKeys().orElse(List.of()));
        config.auth().apiKeysSecret().ifPresent(secret -> {
            List<String> fromSecret = ApiKeySecret.read(secret, config.auth().secretsEndpoint(),
                    config.auth().secretsTimeout());
            LOG.infof("API keys: %d from secret %s", fromSecret.size(), secret);
            accepted.addAll(fromSecret);
        });
        this.keys = new ApiKeys(accepted);
        this.header = config.auth().header();
        this.openPaths = config.auth().openPaths();
    }

    void install(@Observes Router router) {
        if (keys.required()) {
            LOG.infof("API keys: %d accepted in header %s; open without a key: %s", keys.count(), header, openPaths);
        } else {
            LOG.warn("no API keys configured (functions.auth.api-keys): every request is accepted");
        }
        // Before Funqy's routes, whatever order they were added in.
        router.route().order(-1000).handler(this::check);
    }

    void check(RoutingContext ctx) {
        String path = ctx.normalizedPath();
        if (!keys.required() || openPaths.stream().anyMatch(path::startsWith)) {
            ctx.next();
            return;
        }
        String presented = ctx.request().getHeader(header);
        if (keys.accepts(presented)) {
            ctx.next();
            return;
        }
        String reason = presented == null ? "is required" : "is not an accepted API key";
        ctx.fail(401, new ApiError(401, "not authorised: header " + header + " " + reason,
                List.of(new Violation(null, header, reason)), 1));
    }
}

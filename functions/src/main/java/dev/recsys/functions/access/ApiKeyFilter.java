package dev.recsys.functions.access;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

import dev.recsys.functions.config.FunctionsConfig;
import dev.recsys.functions.http.ApiError;
import dev.recsys.wire.validation.Violation;

/**
 * Runs before every function: a request without an accepted API key is answered 401, one whose key lacks the
 * function's scope 403, each with a JSON error, and never reaches a function. Keys are never logged, and
 * neither is what a caller presented.
 */
@ApplicationScoped
public class ApiKeyFilter {

    private static final Logger LOG = Logger.getLogger(ApiKeyFilter.class);

    private final ApiKeySource keys;
    private final String header;
    private final List<String> openPaths;

    @Inject
    public ApiKeyFilter(FunctionsConfig config) {
        FunctionsConfig.Auth auth = config.auth();
        Optional<Supplier<List<String>>> secret = auth.apiKeysSecret().map(id -> () -> {
            List<String> keys = ApiKeySecret.read(id, auth.secretsEndpoint(), auth.secretsTimeout());
            LOG.infof("API keys: %d from secret %s", keys.size(), id);
            return keys;
        });
        this.keys = new ApiKeySource(auth.apiKeys().orElse(List.of()), secret, auth.refresh(), auth.open(),
                System::nanoTime);
        this.header = auth.header();
        this.openPaths = auth.openPaths();
    }

    /** After a snapshot restore: the keys read before it are as old as the snapshot (see ApiKeySource). */
    public void restored() {
        keys.restored();
    }

    void install(@Observes Router router) {
        if (keys.required()) {
            LOG.infof("API keys required in header %s; open without a key: %s", header, openPaths);
        } else {
            LOG.warn("no API keys and functions.auth.open=true: every request is accepted (local development only)");
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
        Optional<ApiKeys> accepted = keys.keys();
        if (accepted.isEmpty()) {
            ctx.fail(503, new ApiError(503, "the API keys could not be re-read lately; no key is trusted until "
                    + "they are"));
            return;
        }
        String presented = ctx.request().getHeader(header);
        Optional<Set<Scope>> scopes = accepted.get().scopesOf(presented);
        if (scopes.isEmpty()) {
            String reason = presented == null ? "is required" : "is not an accepted API key";
            ctx.fail(401, new ApiError(401, "not authorised: header " + header + " " + reason,
                    List.of(new Violation(null, header, reason)), 1));
            return;
        }
        Scope needed = Scope.of(path);
        if (needed != null && !scopes.get().contains(needed)) {
            String reason = "has no '" + needed.label() + "' scope, which " + path + " needs";
            ctx.fail(403, new ApiError(403, "forbidden: the API key in " + header + " " + reason,
                    List.of(new Violation(null, header, reason)), 1));
            return;
        }
        ctx.next();
    }
}

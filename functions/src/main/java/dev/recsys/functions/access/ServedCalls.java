package dev.recsys.functions.access;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

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
 * The calls this instance answers ({@code functions.calls}). A call served by another deployment of the same
 * code is answered 404 before it can touch a Kafka client this instance was not given rights to.
 */
@ApplicationScoped
public class ServedCalls {

    private static final Logger LOG = Logger.getLogger(ServedCalls.class);

    private final Set<String> served;
    private final boolean scoring;

    @Inject
    public ServedCalls(FunctionsConfig config) {
        this.served = served(config.calls(), config.scoringChannel());
        this.scoring = anyScoring(served);
    }

    /** The calls named (all when none are), refused when a name is unknown or the channel setting disagrees. */
    static Set<String> served(Optional<Set<String>> calls, boolean scoringChannel) {
        Set<String> served = calls.orElse(Scope.calls());
        for (String call : served) {
            if (!Scope.calls().contains(call)) {
                throw new IllegalArgumentException("functions.calls: unknown call '" + call + "'; each one of "
                        + new TreeSet<>(Scope.calls()));
            }
        }
        if (served.isEmpty()) {
            throw new IllegalArgumentException("functions.calls: name at least one call, or leave it out for all");
        }
        boolean scoring = anyScoring(served);
        if (scoring != scoringChannel) {
            throw new IllegalArgumentException("functions.scoring-channel is " + scoringChannel
                    + " but functions.calls " + (scoring ? "names" : "names no") + " scoring call ("
                    + new TreeSet<>(served) + "): set functions.scoring-channel=" + scoring);
        }
        return Set.copyOf(served);
    }

    public boolean serves(String call) {
        return served.contains(call);
    }

    @Override
    public String toString() {
        return new TreeSet<>(served).toString();
    }

    /** Whether any call served here asks the worker (and so needs the score-requests channel). */
    public boolean scoring() {
        return scoring;
    }

    /** The scoring calls are the ones the recommend scope opens: each asks the worker. */
    private static boolean anyScoring(Set<String> calls) {
        return calls.stream().anyMatch(call -> Scope.of("/" + call) == Scope.RECOMMEND);
    }

    void install(@Observes Router router) {
        // The first use of this bean: the check above runs at start, not at the first request.
        if (!served.equals(Scope.calls())) {
            LOG.infof("this instance answers only %s", new TreeSet<>(served));
        }
        // After the API-key check (-1000), before Funqy's routes.
        router.route().order(-900).handler(this::check);
    }

    void check(RoutingContext ctx) {
        String path = ctx.normalizedPath();
        String call = path.startsWith("/") ? path.substring(1) : path;
        if (Scope.calls().contains(call) && !served.contains(call)) {
            String reason = "is answered by another function of this deployment, not this one";
            ctx.fail(404, new ApiError(404, path + " " + reason + " (it answers " + new TreeSet<>(served) + ")",
                    List.of(new Violation(null, "path", reason)), 1));
            return;
        }
        ctx.next();
    }
}

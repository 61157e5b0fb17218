package dev.recsys.functions.snapstart;

import java.time.Duration;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;

import org.crac.Context;
import org.crac.Core;
import org.crac.Resource;
import org.jboss.logging.Logger;

import io.quarkus.runtime.StartupEvent;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

import dev.recsys.functions.WorkerClient;
import dev.recsys.functions.access.ApiKeyFilter;
import dev.recsys.functions.access.ServedCalls;

/**
 * What an instance restored from a SnapStart snapshot must redo before its first request: the API keys in
 * memory are as old as the snapshot (a key revoked since would still pass), so they are read again; the reply
 * consumer's position is where it was when the snapshot was taken, so it skips to the newest reply instead of
 * reading every reply written since. The Kafka clients reconnect by themselves (their connections died with
 * the snapshot); the transactional publisher is made at the first write call, after the restore, so each
 * instance gets its own transactional id.
 * <p>
 * Run from the runtime's restore hook (org.crac, which Lambda calls), and, in case a runtime does not, when the
 * first request after a clock jump arrives.
 */
@ApplicationScoped
public class SnapshotRestore implements Resource {

    private static final Logger LOG = Logger.getLogger(SnapshotRestore.class);

    @Inject
    ApiKeyFilter keys;

    @Inject
    ServedCalls calls;

    @Inject
    Instance<WorkerClient> worker;

    private final ClockJump clock = new ClockJump(System::currentTimeMillis, System::nanoTime, 5_000);
    private volatile long restores;

    void register(@Observes StartupEvent event) {
        // Held strongly by this bean: the global context keeps only weak references.
        Core.getGlobalContext().register(this);
    }

    void install(@Observes Router router) {
        // Before the API-key check (-1000), which must see the keys read after the restore.
        router.route().order(-1100).handler(this::check);
    }

    void check(RoutingContext ctx) {
        if (clock.jumped()) {
            LOG.info("the clock jumped: this instance was restored from a snapshot");
            restored();
        }
        ctx.next();
    }

    @Override
    public void beforeCheckpoint(Context<? extends Resource> context) {
        // Nothing to close: the snapshot keeps the clients, which reconnect after the restore.
    }

    @Override
    public void afterRestore(Context<? extends Resource> context) {
        clock.jumped(); // the hook has done it: no second pass at the first request
        restored();
    }

    /** Re-reads the keys and moves the reply consumer to the end; safe to call more than once. */
    public synchronized void restored() {
        restores++;
        long t0 = System.nanoTime();
        keys.restored();
        if (calls.scoring()) {
            worker.get().skipToNewestReplies(Duration.ofSeconds(2));
        }
        LOG.infof("restored from a snapshot: keys re-read%s in %d ms",
                calls.scoring() ? ", replies from the newest" : "", (System.nanoTime() - t0) / 1_000_000);
    }

    /** How many restores this instance has handled. */
    public long restores() {
        return restores;
    }
}

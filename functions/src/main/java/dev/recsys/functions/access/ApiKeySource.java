package dev.recsys.functions.access;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

import org.jboss.logging.Logger;

/**
 * The accepted keys: those configured, plus those in a secret, re-read when they are older than
 * {@code refresh} (on the request path, by one request at a time: Lambda runs nothing between requests), so a
 * key revoked in the secret stops working within that interval. Fails closed: no key at start refuses to
 * start unless the deployment says it wants to be open, and a secret that cannot be re-read for three
 * intervals refuses every request rather than trusting keys that may have been revoked.
 */
final class ApiKeySource {

    private static final Logger LOG = Logger.getLogger(ApiKeySource.class);

    private final List<String> configured;
    private final Optional<Supplier<List<String>>> secret;
    private final long refreshNanos;
    private final LongSupplier clock;
    private final ReentrantLock refreshing = new ReentrantLock();
    private volatile ApiKeys current;
    private volatile long readAt;

    /**
     * @param secret reads the secret's keys (throws when it cannot); empty when there is none
     * @param open   whether starting with no key at all is wanted (every request accepted)
     * @throws IllegalStateException when there is no key and {@code open} is false, or the secret cannot be read
     */
    ApiKeySource(List<String> configured, Optional<Supplier<List<String>>> secret, Duration refresh, boolean open,
            LongSupplier clock) {
        this.configured = List.copyOf(configured);
        this.secret = secret;
        this.refreshNanos = refresh.toNanos();
        this.clock = clock;
        this.current = read();
        this.readAt = clock.getAsLong();
        if (current.isEmpty() && !open) {
            throw new IllegalStateException("no API keys: set functions.auth.api-keys or put keys in the secret "
                    + "named by functions.auth.api-keys-secret; to accept every request without a key (local "
                    + "development only) set functions.auth.open=true");
        }
    }

    /** Whether requests need a key at all: false only when open and no key was ever configured. */
    boolean required() {
        return !current.isEmpty() || secret.isPresent();
    }

    /** The keys to check against now, or empty when the secret has been unreadable for too long. */
    Optional<ApiKeys> keys() {
        long now = clock.getAsLong();
        if (secret.isPresent() && now - readAt >= refreshNanos && refreshing.tryLock()) {
            try {
                current = read();
                readAt = now;
            } catch (RuntimeException e) {
                LOG.warnf("API keys secret not re-read (%s); keeping the keys read %d s ago", e.getMessage(),
                        (now - readAt) / 1_000_000_000L);
            } finally {
                refreshing.unlock();
            }
        }
        return secret.isPresent() && now - readAt >= 3 * refreshNanos ? Optional.empty() : Optional.of(current);
    }

    /**
     * After a snapshot restore the keys in memory are as old as the snapshot, which the monotonic clock does not
     * count: read them now, and trust none until a read succeeds (keys() retries at the next request).
     */
    void restored() {
        if (secret.isEmpty()) {
            return;
        }
        long now = clock.getAsLong();
        refreshing.lock();
        try {
            current = read();
            readAt = now;
        } catch (RuntimeException e) {
            readAt = now - 3 * refreshNanos;
            LOG.warnf("API keys secret not re-read after a restore (%s); refusing every key until it is",
                    e.getMessage());
        } finally {
            refreshing.unlock();
        }
    }

    private ApiKeys read() {
        List<String> all = new ArrayList<>(configured);
        secret.ifPresent(s -> all.addAll(s.get()));
        return ApiKeys.parse(all);
    }
}

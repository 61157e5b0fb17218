package dev.recsys.core.sasrec;

import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The snapshot scoring uses now. Publishing swaps it atomically: a scoring pass that acquired the old one
 * finishes on it, the next pass gets the new one, and no pass ever sees weights half updated.
 */
public final class ServingModel implements AutoCloseable {

    private final AtomicReference<ModelSnapshot> current = new AtomicReference<>();

    public ServingModel() {
    }

    public ServingModel(ModelSnapshot initial) {
        current.set(initial);
    }

    /** Makes {@code snapshot} the one served and retires the one it replaces. */
    public void publish(ModelSnapshot snapshot) {
        ModelSnapshot old = current.getAndSet(snapshot);
        if (old != null) {
            old.release();
        }
    }

    /** The current snapshot, held until {@link ModelSnapshot#release()}; empty before the first publish. */
    public Optional<ModelSnapshot> acquire() {
        while (true) {
            ModelSnapshot s = current.get();
            if (s == null) {
                return Optional.empty();
            }
            if (s.tryAcquire()) {
                return Optional.of(s);
            }
            // Freed between get and acquire: a newer one has been published; read again.
        }
    }

    /** The version served now, or empty. */
    public Optional<String> version() {
        ModelSnapshot s = current.get();
        return s == null ? Optional.empty() : Optional.of(s.version());
    }

    /** When the served snapshot was published (epoch ms), or -1. */
    public long publishedAtMillis() {
        ModelSnapshot s = current.get();
        return s == null ? -1 : s.publishedAtMillis();
    }

    @Override
    public void close() {
        publish(null);
    }
}

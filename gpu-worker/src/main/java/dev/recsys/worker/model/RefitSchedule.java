package dev.recsys.worker.model;

/**
 * When the next re-fit is due: after {@code everyEvents} new positive events, or after {@code intervalNanos}
 * if any came. A rejected pass doubles the events the next one waits for (up to {@link #MAX_BACKOFF} times),
 * an accepted one brings it back: on ml-1m-prefix through the real system every pass lost to the online
 * weights, and the passes ran back to back on the cores the online trainer needed (0.41 of a core against
 * its 0.13).
 */
final class RefitSchedule {

    /** The most a run of rejected passes multiplies the events between passes by. */
    static final int MAX_BACKOFF = 8;

    private final long everyEvents;
    private final long intervalNanos;
    private long needed;

    RefitSchedule(long everyEvents, long intervalNanos) {
        this.everyEvents = everyEvents;
        this.intervalNanos = intervalNanos;
        this.needed = everyEvents;
    }

    /** Whether a pass is due with {@code fresh} positive events and {@code elapsedNanos} since the last fit. */
    boolean due(long fresh, long elapsedNanos) {
        return fresh >= needed || fresh > 0 && elapsedNanos >= intervalNanos;
    }

    /** What became of a pass. */
    void passed(boolean accepted) {
        needed = accepted ? everyEvents : Math.min(needed * 2, everyEvents * MAX_BACKOFF);
    }

    /** The new positive events the next pass waits for. */
    long neededEvents() {
        return needed;
    }
}

package dev.recsys.core.sasrec;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

/**
 * Online training's inbox: users with positive events no step has trained on, oldest first, with those
 * events' ingest times. A user touched ten times before the next step is trained once, on the latest
 * sequence. The training thread waits here, also for work that is not a user (a publish, a hand-off).
 */
final class PendingUsers {

    /** Only freshness reads the times; a user flooding faster than training keeps the oldest. */
    private static final int MAX_TIMES_PER_USER = 1000;

    private final LinkedHashMap<String, List<Long>> pending = new LinkedHashMap<>();
    /** Users taken and not yet done with: "caught up" must not be seen between the two. */
    private boolean inFlight;

    synchronized void add(String userId, long ingestedAtMillis) {
        List<Long> times = pending.computeIfAbsent(userId, u -> new ArrayList<>(2));
        if (times.size() < MAX_TIMES_PER_USER) {
            times.add(ingestedAtMillis);
        }
        notifyAll();
    }

    /**
     * Waits (up to {@code waitMillis} at a time, while {@code keepWaiting} holds) for a pending user or
     * other work, then takes up to {@code max} of the oldest users; empty when there is other work only.
     */
    synchronized Map<String, List<Long>> take(int max, long waitMillis, BooleanSupplier keepWaiting)
            throws InterruptedException {
        while (pending.isEmpty() && keepWaiting.getAsBoolean()) {
            wait(waitMillis);
        }
        Map<String, List<Long>> out = new LinkedHashMap<>();
        Iterator<Map.Entry<String, List<Long>>> it = pending.entrySet().iterator();
        while (it.hasNext() && out.size() < max) {
            Map.Entry<String, List<Long>> e = it.next();
            out.put(e.getKey(), e.getValue());
            it.remove();
        }
        inFlight = true;
        return out;
    }

    /** Drops the user's untrained events (a step already under way may still train on them). */
    synchronized void remove(String userId) {
        pending.remove(userId);
    }

    /** The users last taken are trained (or dropped). */
    synchronized void done() {
        inFlight = false;
    }

    /** Wakes the training thread: something other than a user is waiting for it. */
    synchronized void wake() {
        notifyAll();
    }

    synchronized boolean isEmpty() {
        return pending.isEmpty();
    }

    /** Nothing pending and nothing being trained. */
    synchronized boolean idle() {
        return pending.isEmpty() && !inFlight;
    }

    synchronized int size() {
        return pending.size();
    }

    /** When the oldest event no step has taken was ingested, or {@link Long#MAX_VALUE} when none waits. */
    synchronized long oldestMillis() {
        // Users leave from the front and join at the back, so the first user holds the oldest event.
        return pending.isEmpty() ? Long.MAX_VALUE : pending.values().iterator().next().get(0);
    }
}

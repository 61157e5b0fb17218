package dev.recsys.core.sasrec;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

import dev.recsys.core.IdBytes;

/**
 * Online training's inbox: users with positive events no step has trained on, oldest first, with those
 * events' ingest times. A user touched ten times before the next step is trained once, on the latest
 * sequence. The training thread waits here, also for work that is not a user (a publish, a hand-off).
 * <p>
 * Bounded in users and in bytes: a stream of more distinct users than training can take would otherwise
 * grow it without end. Past either bound the user waiting longest is dropped (their events stay in their
 * history, and rehearsal may still draw them; only this step on their newest transitions is skipped): under
 * overload the freshest events are trained first, and {@link #dropped()} counts what was shed.
 */
final class PendingUsers {

    /** Only freshness reads the times; a user flooding faster than training keeps the oldest. */
    private static final int MAX_TIMES_PER_USER = 1000;
    /** What one ingest time costs held: a boxed Long and its list slot. */
    static final long BYTES_PER_TIME = 24;

    private final LinkedHashMap<String, List<Long>> pending = new LinkedHashMap<>();
    private final int maxUsers;
    private final long maxBytes;
    private long bytes;
    private long dropped;

    PendingUsers() {
        this(Integer.MAX_VALUE, Long.MAX_VALUE);
    }

    PendingUsers(int maxUsers, long maxBytes) {
        if (maxUsers < 1 || maxBytes < 1) {
            throw new IllegalArgumentException("pending users' bounds must be positive, were " + maxUsers + " and "
                    + maxBytes);
        }
        this.maxUsers = maxUsers;
        this.maxBytes = maxBytes;
    }
    /** Users taken and not yet done with: "caught up" must not be seen between the two. */
    private boolean inFlight;

    synchronized void add(String userId, long ingestedAtMillis) {
        List<Long> times = pending.get(userId);
        if (times == null) {
            times = new ArrayList<>(2);
            pending.put(userId, times);
            bytes += IdBytes.of(userId);
        }
        if (times.size() < MAX_TIMES_PER_USER) {
            times.add(ingestedAtMillis);
            bytes += BYTES_PER_TIME;
        }
        while ((pending.size() > maxUsers || bytes > maxBytes) && pending.size() > 1) {
            Iterator<Map.Entry<String, List<Long>>> oldest = pending.entrySet().iterator();
            Map.Entry<String, List<Long>> e = oldest.next();
            oldest.remove();
            bytes -= cost(e.getKey(), e.getValue());
            dropped++;
        }
        notifyAll();
    }

    private static long cost(String user, List<Long> times) {
        return IdBytes.of(user) + BYTES_PER_TIME * times.size();
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
            bytes -= cost(e.getKey(), e.getValue());
        }
        inFlight = true;
        return out;
    }

    /** Drops the user's untrained events (a step already under way may still train on them). */
    synchronized void remove(String userId) {
        List<Long> times = pending.remove(userId);
        if (times != null) {
            bytes -= cost(userId, times);
        }
    }

    /** Users dropped unstepped because the bounds were reached. */
    synchronized long dropped() {
        return dropped;
    }

    /** What the pending users cost, as the byte bound counts it. */
    synchronized long bytes() {
        return bytes;
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

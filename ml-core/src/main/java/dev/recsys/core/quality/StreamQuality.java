package dev.recsys.core.quality;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Follows the lists a stream gives out and what the users do after them: each list is measured into the
 * {@link ListSums} of its stretch of time; the user's next positive item scores it for accuracy; their next
 * list after an event of their own is compared with it for interactivity. Bounded: the last list of at most
 * {@code maxUsers} users (the least recently served forgotten first), ten ids each, and {@link ItemCounts}'
 * own bound on items. Thread-safe.
 */
public final class StreamQuality {

    /** A user's latest list, where it was counted, and what has happened since. */
    private static final class Last {
        final List<String> items;
        final ListSums into;
        boolean acted;
        boolean resolved;

        Last(List<String> items, ListSums into, boolean resolved) {
            this.items = items;
            this.into = into;
            this.resolved = resolved;
        }
    }

    private final ItemCounts counts;
    private final Map<String, Last> last;

    public StreamQuality(int maxUsers, int maxItems) {
        this.counts = new ItemCounts(maxItems);
        this.last = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Last> eldest) {
                return size() > maxUsers;
            }
        };
    }

    /**
     * A list given to a user, measured into {@code into}.
     *
     * @param target the item the user takes next when it is known now (a replay asks just before it), or null:
     *               then the user's next positive event, if any, scores the list
     * @param traits what is known of the items, for diversity
     */
    public synchronized void listed(ListSums into, String user, List<String> items, String target,
            ItemTraits traits) {
        Last before = last.get(user);
        into.list(items, traits, counts, before != null && before.acted ? before.items : null);
        if (target != null) {
            into.outcome(rank(items, target));
        }
        last.put(user, new Last(ListSums.top(items), into, target != null));
    }

    /** An event applied to the user's state: counted for novelty, and the user has acted since their last list. */
    public synchronized void applied(String user, String item, boolean positive) {
        counts.add(item);
        Last l = last.get(user);
        if (l == null) {
            return;
        }
        if (positive && !l.resolved) {
            l.into.outcome(rank(l.items, item));
            l.resolved = true;
        }
        l.acted = true;
    }

    /** Items with at least one event so far: what coverage is measured against. */
    public synchronized int catalogue() {
        return counts.items();
    }

    public synchronized ListQuality summary(ListSums sums) {
        return sums.summary();
    }

    private static int rank(List<String> items, String item) {
        int r = items.indexOf(item);
        return r < ListSums.K ? r : -1;
    }
}

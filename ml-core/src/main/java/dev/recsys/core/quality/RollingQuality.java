package dev.recsys.core.quality;

import java.util.List;

/**
 * The five measures of what a running worker serves, over the last complete window of
 * {@code listsPerWindow} lists (the window being filled until the first completes): bounded in memory and in
 * cost per list, whatever the traffic.
 */
public final class RollingQuality {

    private final StreamQuality stream;
    private final int listsPerWindow;
    private ListSums current = new ListSums();
    private ListSums complete;

    public RollingQuality(StreamQuality stream, int listsPerWindow) {
        if (listsPerWindow < 1) {
            throw new IllegalArgumentException("a window needs at least one list, was " + listsPerWindow);
        }
        this.stream = stream;
        this.listsPerWindow = listsPerWindow;
    }

    /** A list served to a user; {@code traits} what is known of its items now. */
    public void served(String user, List<String> items, ItemTraits traits) {
        ListSums into;
        synchronized (this) {
            if (current.lists() >= listsPerWindow) {
                complete = current;
                current = new ListSums();
            }
            into = current;
        }
        stream.listed(into, user, items, null, traits);
    }

    /** An event applied to a user's state. */
    public void applied(String user, String item, boolean positive) {
        stream.applied(user, item, positive);
    }

    /** The last complete window's figures, or the current one's before any completes. */
    public ListQuality latest() {
        ListSums sums;
        synchronized (this) {
            sums = complete != null ? complete : current;
        }
        return stream.summary(sums);
    }
}

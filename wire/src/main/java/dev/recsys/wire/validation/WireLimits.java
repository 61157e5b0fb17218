package dev.recsys.wire.validation;

/**
 * The bounds every entry point applies: the HTTP functions to request bodies, the worker to every record it
 * reads. One set of numbers, so a record the functions would refuse is refused on the topic too.
 *
 * @param maxIdLength        longest user, item, event or category id, in UTF-16 characters
 * @param maxClockSkewMillis how far ahead of the reader's clock a timestamp may be
 */
public record WireLimits(int maxIdLength, long maxClockSkewMillis) {

    public static final int DEFAULT_MAX_ID_LENGTH = 256;
    public static final long DEFAULT_MAX_CLOCK_SKEW_MILLIS = 24 * 3600 * 1000L;
    /**
     * How far ahead a time that the system itself stamps (a forget-user's {@code requestedAt}) may be: the
     * skew between the functions' and the worker's clocks, not a device's. A client's event times get
     * {@code maxClockSkewMillis}.
     */
    public static final long MAX_SERVER_CLOCK_SKEW_MILLIS = 60_000L;
    public static final WireLimits DEFAULTS = new WireLimits(DEFAULT_MAX_ID_LENGTH, DEFAULT_MAX_CLOCK_SKEW_MILLIS);

    /** Most items one ranking may return. */
    public static final int MAX_K = 100;
    public static final int DEFAULT_K = 10;
    /** Filters stay small enough that a request is one Kafka record of a few kilobytes. */
    public static final int MAX_CATEGORIES = 50;
    public static final int MAX_EXCLUDED = 500;
    /** The model reads the last few hundred at most; more would only be dropped. */
    public static final int MAX_SESSION_ITEMS = 200;
    public static final int MAX_CANDIDATES = 500;
    /** Categories of one item. */
    public static final int MAX_ITEM_CATEGORIES = 50;
    /** A feedback value's magnitude: ratings, dwell times in ms and counts fit; 1e300 is a fault. */
    public static final double MAX_VALUE = 1e9;

    public WireLimits {
        if (maxIdLength < 1 || maxIdLength > 4096) {
            throw new IllegalArgumentException("maxIdLength must be from 1 to 4096, got " + maxIdLength);
        }
        if (maxClockSkewMillis < 0) {
            throw new IllegalArgumentException("maxClockSkewMillis must not be negative");
        }
    }
}

package dev.recsys.wire;

/**
 * A request to forget a user, published on the {@code feedback} topic keyed by the user, so that it is
 * ordered after every event of theirs before it: every worker reading the log drops the user when it reads
 * this, and a replay from any point applies their events and then this again. The log's order alone decides
 * what it covers: every event of the user acknowledged after its 202 is applied, whatever time it carries.
 * Told apart from feedback events by the {@link #HEADER} header.
 *
 * @param requestedAt epoch ms when it was asked, for the record: at most a minute ahead of the reader's clock
 */
public record ForgetUser(String userId, long requestedAt) {

    /** The record header naming this record type on {@code feedback}; its value is {@link #TYPE}. */
    public static final String HEADER = "recsys-record";
    public static final String TYPE = "forget-user";
}

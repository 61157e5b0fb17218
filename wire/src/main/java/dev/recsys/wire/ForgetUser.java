package dev.recsys.wire;

/**
 * A request to forget a user, published on the {@code feedback} topic keyed by the user, so that it is
 * ordered after every event of theirs before it: every worker reading the log drops the user when it reads
 * this, and a replay from any point applies their events and then this again. Told apart from feedback
 * events by the {@link #HEADER} header.
 *
 * @param requestedAt epoch ms when it was asked; events of the user with an earlier event time that arrive
 *                    later (an old retry) are not applied
 */
public record ForgetUser(String userId, long requestedAt) {

    /** The record header naming this record type on {@code feedback}; its value is {@link #TYPE}. */
    public static final String HEADER = "recsys-record";
    public static final String TYPE = "forget-user";
}

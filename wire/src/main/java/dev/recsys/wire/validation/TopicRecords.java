package dev.recsys.wire.validation;

import java.io.IOException;
import java.util.function.Supplier;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.recsys.wire.FeedbackEvent;
import dev.recsys.wire.ForgetUser;
import dev.recsys.wire.ItemUpdate;
import dev.recsys.wire.ScoreRequest;

/**
 * Reads the raw bytes of a record from a topic any client may write to: parsed as one JSON object (strict:
 * a repeated key or trailing data is refused, not resolved by a guess), then checked by the record type's
 * validator. Never throws on input; every outcome is a {@link Checked}.
 */
public final class TopicRecords {

    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    /**
     * Every field name any record schema has, and {@code body}: the closed set a refusal's field is counted
     * under in a metric (an unknown field's name is the client's, and would make a label per record).
     */
    public static final java.util.Set<String> FIELDS = java.util.stream.Stream.of(FeedbackEventValidator.FIELDS,
            ItemUpdateValidator.FIELDS, ScoreRequestValidator.FIELDS, ForgetUserValidator.FIELDS,
            java.util.Set.of(Violations.BODY)).flatMap(java.util.Set::stream)
            .collect(java.util.stream.Collectors.toUnmodifiableSet());

    private final FeedbackEventValidator feedback;
    private final ItemUpdateValidator items;
    private final ScoreRequestValidator requests;
    private final ForgetUserValidator forgets;

    public TopicRecords(WireLimits limits) {
        this.feedback = new FeedbackEventValidator(limits);
        this.items = new ItemUpdateValidator(limits);
        this.requests = new ScoreRequestValidator(limits);
        this.forgets = new ForgetUserValidator(limits);
    }

    /** @param timestamp when a request without {@code requestedAt} was asked (the record's timestamp) */
    public Checked<ForgetUser> forgetUser(byte[] value, long timestamp) {
        return read(value, (node, v) -> forgets.read(node, timestamp, v));
    }

    /**
     * @param eventId   the id of an event that carries none (e.g. topic-partition-offset: the same on replay)
     * @param timestamp the time of an event that carries none (the record's timestamp)
     */
    public Checked<FeedbackEvent> feedback(byte[] value, long now, Supplier<String> eventId, long timestamp) {
        return read(value, (node, v) -> feedback.read(null, node, now, eventId, timestamp, v));
    }

    public Checked<ItemUpdate> itemUpdate(byte[] value, long now, long timestamp) {
        return read(value, (node, v) -> items.read(null, node, now, timestamp, v));
    }

    public Checked<ScoreRequest> scoreRequest(byte[] value) {
        return read(value, requests::read);
    }

    private interface Reader<T> {
        T read(JsonNode node, Violations v);
    }

    private static <T> Checked<T> read(byte[] value, Reader<T> reader) {
        if (value == null) {
            return Checked.refused(Violations.BODY, "the record has no value (a tombstone); nothing to apply");
        }
        JsonNode node;
        try {
            node = JSON.readTree(value);
        } catch (IOException | RuntimeException e) {
            return Checked.refused(Violations.BODY, "not valid JSON: " + firstLine(e.getMessage()));
        }
        if (node == null || node.isMissingNode()) {
            return Checked.refused(Violations.BODY, "the record's value is empty");
        }
        Violations v = new Violations();
        T read;
        try {
            read = reader.read(node, v);
        } catch (RuntimeException e) {
            // A rule that throws is a bug here, but the record is still refused, not the reader stopped.
            return Checked.refused(Violations.BODY, "could not be checked: " + e);
        }
        return read != null && v.count() == 0 ? Checked.valid(read) : Checked.refused(v);
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "unreadable";
        }
        int nl = message.indexOf('\n');
        String line = nl < 0 ? message : message.substring(0, nl);
        return Printable.of(line, 160);
    }
}

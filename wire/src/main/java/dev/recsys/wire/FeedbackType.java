package dev.recsys.wire;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** The kinds of feedback an application can send; written in lower case on the wire. */
public enum FeedbackType {
    VIEW, CLICK, LIKE, PURCHASE, RATING, SKIP, DISLIKE;

    /** The accepted wire names, for error messages. */
    public static final String NAMES = Arrays.stream(values()).map(FeedbackType::wireName)
            .collect(Collectors.joining(", "));

    @JsonValue
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Exact, lower-case match only: "Click" is as wrong as "clik", so clients fix it once. */
    public static Optional<FeedbackType> parse(String wire) {
        for (FeedbackType t : values()) {
            if (t.wireName().equals(wire)) {
                return Optional.of(t);
            }
        }
        return Optional.empty();
    }

    @JsonCreator
    static FeedbackType fromWire(String wire) {
        return parse(wire).orElseThrow(() -> new IllegalArgumentException("unknown feedback type: " + wire));
    }
}

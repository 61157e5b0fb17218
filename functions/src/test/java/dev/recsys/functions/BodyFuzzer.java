package dev.recsys.functions;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Seeded request bodies around a valid one: fields dropped, retyped, filled with hostile strings (control,
 * format and lone surrogate characters, overlong ids), unknown fields added, batches emptied or overfilled,
 * whole bodies replaced by other JSON values, and JSON text cut short. Hand-written rather than jqwik: jqwik
 * 1.10's own terms ask AI coding agents not to use it, and this project's tests are written by one.
 */
final class BodyFuzzer {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    /** Escapes everything outside ASCII, so lone surrogates travel as \\uD800 and reach the parser as such. */
    private static final ObjectMapper ASCII = JsonMapper.builder().enable(JsonWriteFeature.ESCAPE_NON_ASCII).build();
    private static final String[] FIELD_NAMES = { "userId", "itemId", "type", "value", "timestamp", "eventId", "k",
        "excludeSeen", "categories", "excludeItems", "items", "candidates", "hidden", "kind", "colour", "", "K" };
    private static final String[] PIECES = { "a", "Z", "9", " ", "\t", "\n", "\u0000", "\u0007", "\u007f",
        "\u202e", "\u200b", "\u200d", "\ufeff", "\u00ad", "\ud800", "\udfff", "\ud83d\ude00", "\u00e9", "\"", "\\",
        "view", "purchase", "RATING", "m1" };

    private final Random random;

    BodyFuzzer(long seed) {
        this.random = new Random(seed);
    }

    /** One body: usually a damaged copy of {@code valid}, sometimes not JSON at all. */
    byte[] next(JsonNode valid) throws Exception {
        if (random.nextInt(20) == 0) {
            byte[] text = ASCII.writeValueAsBytes(valid);
            return java.util.Arrays.copyOf(text, random.nextInt(text.length));
        }
        JsonNode body = valid.deepCopy();
        int mutations = 1 + random.nextInt(3);
        for (int i = 0; i < mutations; i++) {
            body = mutate(body);
        }
        return ASCII.writeValueAsBytes(body);
    }

    private JsonNode mutate(JsonNode body) {
        if (random.nextInt(25) == 0) {
            return value(2);
        }
        if (body instanceof ArrayNode batch) {
            switch (random.nextInt(6)) {
                case 0 -> batch.removeAll();
                case 1 -> {
                    JsonNode one = batch.isEmpty() ? NODES.objectNode() : batch.get(0);
                    int n = random.nextBoolean() ? 1001 : random.nextInt(20);
                    for (int i = 0; i < n; i++) {
                        batch.add(one.deepCopy());
                    }
                }
                case 2 -> batch.add(value(1));
                default -> {
                    if (!batch.isEmpty()) {
                        int at = random.nextInt(batch.size());
                        batch.set(at, mutate(batch.get(at)));
                    }
                }
            }
            return batch;
        }
        if (!(body instanceof ObjectNode object)) {
            return body;
        }
        List<String> fields = new ArrayList<>();
        object.fieldNames().forEachRemaining(fields::add);
        String field = !fields.isEmpty() && random.nextInt(3) > 0 ? fields.get(random.nextInt(fields.size()))
                : FIELD_NAMES[random.nextInt(FIELD_NAMES.length)];
        if (random.nextInt(4) == 0) {
            object.remove(field);
        } else {
            object.set(field, value(2));
        }
        return object;
    }

    private JsonNode value(int depth) {
        return switch (random.nextInt(depth > 0 ? 10 : 8)) {
            case 0 -> NODES.nullNode();
            case 1 -> NODES.booleanNode(random.nextBoolean());
            case 2 -> NODES.numberNode(new long[] { 0, -1, 1, 3, 100, 101, 501, Integer.MAX_VALUE, Long.MAX_VALUE,
                Long.MIN_VALUE }[random.nextInt(10)]);
            case 3 -> NODES.numberNode(random.nextBoolean() ? random.nextGaussian() * 1e6 : 1e300 * random.nextDouble());
            case 4 -> NODES.textNode("x".repeat(250 + random.nextInt(20)));
            case 5, 6, 7 -> NODES.textNode(text());
            case 8 -> {
                ArrayNode array = NODES.arrayNode();
                int n = random.nextInt(8) == 0 ? 400 + random.nextInt(200) : random.nextInt(5);
                for (int i = 0; i < n; i++) {
                    array.add(random.nextBoolean() ? NODES.textNode(text()) : value(depth - 1));
                }
                yield array;
            }
            default -> {
                ObjectNode object = NODES.objectNode();
                for (int i = random.nextInt(3); i > 0; i--) {
                    object.set(FIELD_NAMES[random.nextInt(FIELD_NAMES.length)], value(depth - 1));
                }
                yield object;
            }
        };
    }

    private String text() {
        StringBuilder s = new StringBuilder();
        for (int i = random.nextInt(6); i > 0; i--) {
            s.append(PIECES[random.nextInt(PIECES.length)]);
        }
        return s.toString();
    }
}

package dev.recsys.testsupport;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Records no topic of the worker may accept, for tests at every level: the ones that once stalled or
 * corrupted it, the ones each rule exists for, and seeded random damage (truncated and garbled JSON, random
 * bytes) on top.
 */
public final class PoisonRecords {

    /** SmallRye Kafka request-reply's header names (KafkaRequestReply's defaults). */
    public static final String CORRELATION = "REPLY_CORRELATION_ID";
    public static final String REPLY_TOPIC = "REPLY_TOPIC";
    public static final String REPLY_PARTITION = "REPLY_PARTITION";

    /** One record to write: key and value as raw bytes, headers as given. */
    public record Poison(String name, byte[] key, byte[] value, Map<String, byte[]> headers) {
    }

    private PoisonRecords() {
    }

    public static List<Poison> feedback(Random random) {
        long now = System.currentTimeMillis();
        List<Poison> p = new ArrayList<>();
        String u = "poison-user";
        add(p, "timestamp at Long.MAX_VALUE", u, event(u, "i1", "purchase", Long.MAX_VALUE));
        add(p, "empty itemId", u, event(u, "", "view", now));
        add(p, "upper-case type", u, event(u, "i1", "PURCHASE", now));
        add(p, "unknown field", u, "{\"userId\":\"poison-user\",\"itemId\":\"i1\",\"type\":\"view\",\"colour\":\"red\"}");
        add(p, "64 KB userId", null, event("x".repeat(65536), "i1", "view", now));
        add(p, "lone surrogate in itemId", u, event(u, "i\uD800x", "view", now));
        add(p, "newline in itemId", u, event(u, "i\nj", "view", now));
        add(p, "bidi override in itemId", u, event(u, "\u202Eevil", "view", now));
        add(p, "zero-width space in itemId", u, event(u, "i\u200B1", "view", now));
        add(p, "byte-order mark in userId", null, event("\uFEFFu", "i1", "view", now));
        add(p, "control character in userId", null, event("u\u0001", "i1", "view", now));
        add(p, "not JSON", u, "{not json");
        add(p, "a JSON array", u, "[1,2,3]");
        add(p, "a JSON string", u, "\"view\"");
        p.add(new Poison("empty value", bytes(u), new byte[0], Map.of()));
        p.add(new Poison("tombstone", bytes(u), null, Map.of()));
        add(p, "value overflows to infinity", u, "{\"userId\":\"poison-user\",\"itemId\":\"i1\",\"type\":\"rating\",\"value\":1e400}");
        add(p, "value out of range", u, "{\"userId\":\"poison-user\",\"itemId\":\"i1\",\"type\":\"rating\",\"value\":1e12}");
        add(p, "rating without value", u, "{\"userId\":\"poison-user\",\"itemId\":\"i1\",\"type\":\"rating\"}");
        add(p, "negative timestamp", u, event(u, "i1", "view", -5));
        add(p, "timestamp as a string", u, "{\"userId\":\"poison-user\",\"itemId\":\"i1\",\"type\":\"view\",\"timestamp\":\"now\"}");
        add(p, "type as a number", u, "{\"userId\":\"poison-user\",\"itemId\":\"i1\",\"type\":3}");
        add(p, "userId twice", u, "{\"userId\":\"poison-user\",\"userId\":\"other\",\"itemId\":\"i1\",\"type\":\"view\"}");
        add(p, "trailing data", u, event(u, "i1", "view", now) + " {}");
        add(p, "userId as a number", null, "{\"userId\":42,\"itemId\":\"i1\",\"type\":\"view\"}");
        add(p, "userId null", null, "{\"userId\":null,\"itemId\":\"i1\",\"type\":\"view\"}");
        add(p, "key is another user", "someone-else", event(u, "i1", "view", now));
        p.add(new Poison("invalid UTF-8", bytes(u), new byte[] { '{', '"', (byte) 0xC3, 0x28, '"', ':', '1', '}' }, Map.of()));
        add(p, "nesting 5,000 deep", u, "[".repeat(5000) + "]".repeat(5000));
        add(p, "blank itemId", u, event(u, "   ", "view", now));
        // Requests to forget a user ride on feedback with a header. Each of these must be refused, and u1 (a user
        // with valid events in the tests that write this catalogue) must keep their history.
        String forget = "{\"userId\":\"u1\"}";
        Map<String, byte[]> forgetting = Map.of("recsys-record", bytes("forget-user"));
        p.add(new Poison("unknown record type", bytes("u1"), bytes(forget), Map.of("recsys-record", bytes("drop-all"))));
        p.add(new Poison("forget-user keyed by another user", bytes("someone-else"), bytes(forget), forgetting));
        p.add(new Poison("forget-user without a key", null, bytes(forget), forgetting));
        p.add(new Poison("forget-user without userId", bytes("u1"), bytes("{}"), forgetting));
        p.add(new Poison("forget-user not JSON", bytes("u1"), bytes("{not json"), forgetting));
        fuzz(p, random, event(u, "i1", "click", now), u);
        return p;
    }

    public static List<Poison> items(Random random) {
        long now = System.currentTimeMillis();
        List<Poison> p = new ArrayList<>();
        add(p, "empty itemId", "", "{\"itemId\":\"\",\"categories\":[\"c\"]}");
        add(p, "repeated category", "i1", "{\"itemId\":\"i1\",\"categories\":[\"c\",\"c\"]}");
        add(p, "hidden as a string", "i1", "{\"itemId\":\"i1\",\"hidden\":\"yes\"}");
        add(p, "timestamp a year ahead", "i1", "{\"itemId\":\"i1\",\"timestamp\":" + (now + 366L * 86_400_000) + "}");
        add(p, "key is another item", "i2", "{\"itemId\":\"i1\"}");
        add(p, "unknown field", "i1", "{\"itemId\":\"i1\",\"price\":3}");
        add(p, "category with a newline", "i1", "{\"itemId\":\"i1\",\"categories\":[\"a\\nb\"]}");
        add(p, "51 categories", "i1", "{\"itemId\":\"i1\",\"categories\":[" + numbered("c", 51) + "]}");
        add(p, "not JSON", "i1", "itemId=i1");
        p.add(new Poison("tombstone", bytes("i1"), null, Map.of()));
        fuzz(p, random, "{\"itemId\":\"i1\",\"categories\":[\"c\"],\"hidden\":false}", "i1");
        return p;
    }

    /** Score requests with good reply headers (they get an error reply) and with bad ones (they get none). */
    public static List<Poison> scoreRequests(Random random) {
        List<Poison> p = new ArrayList<>();
        String ok = "{\"kind\":\"USER\",\"userId\":\"u\",\"k\":3,\"excludeSeen\":true}";
        Map<String, byte[]> good = replyTo(null);
        request(p, "reply partition is 4 arbitrary bytes", ok, replyTo(new byte[] { 0x7F, 0x12, 0x34, 0x56 }));
        request(p, "reply partition of 3 bytes", ok, replyTo(new byte[] { 0, 0, 1 }));
        request(p, "reply partition that does not exist", ok, replyTo(ByteBuffer.allocate(4).putInt(999).array()));
        Map<String, byte[]> elsewhere = new LinkedHashMap<>(good);
        elsewhere.put(REPLY_TOPIC, bytes("feedback"));
        request(p, "reply topic is another topic", ok, elsewhere);
        Map<String, byte[]> noCorrelation = new LinkedHashMap<>(good);
        noCorrelation.remove(CORRELATION);
        request(p, "no correlation id", ok, noCorrelation);
        Map<String, byte[]> longCorrelation = new LinkedHashMap<>(good);
        longCorrelation.put(CORRELATION, new byte[1000]);
        request(p, "correlation id of 1,000 bytes", ok, longCorrelation);
        request(p, "userId null", "{\"kind\":\"USER\",\"userId\":null,\"k\":3}", replyTo(null));
        request(p, "k = 0", "{\"userId\":\"u\",\"k\":0}", replyTo(null));
        request(p, "k = 1000", "{\"userId\":\"u\",\"k\":1000}", replyTo(null));
        request(p, "k as a string", "{\"userId\":\"u\",\"k\":\"ten\"}", replyTo(null));
        request(p, "unknown kind", "{\"kind\":\"EVERYTHING\",\"userId\":\"u\",\"k\":3}", replyTo(null));
        request(p, "session without items", "{\"kind\":\"SESSION\",\"k\":3}", replyTo(null));
        request(p, "re-rank with repeated candidates", "{\"kind\":\"RERANK\",\"userId\":\"u\",\"items\":[\"a\",\"a\"]}",
                replyTo(null));
        request(p, "501 excluded items", "{\"userId\":\"u\",\"k\":3,\"excludeItems\":[" + numbered("x", 501) + "]}",
                replyTo(null));
        request(p, "unknown field", "{\"userId\":\"u\",\"k\":3,\"limit\":3}", replyTo(null));
        request(p, "64 KB userId", "{\"userId\":\"" + "u".repeat(65536) + "\",\"k\":3}", replyTo(null));
        request(p, "similar without itemId", "{\"kind\":\"SIMILAR\",\"k\":3}", replyTo(null));
        request(p, "not JSON", "userId=u", replyTo(null));
        p.add(new Poison("empty value", null, new byte[0], replyTo(null)));
        List<Poison> damaged = new ArrayList<>();
        fuzz(damaged, random, ok, null);
        for (Poison d : damaged) {
            p.add(new Poison(d.name(), null, d.value(), replyTo(null)));
        }
        return p;
    }

    /** Whether the worker can answer the record with an error (its reply headers are fine). */
    public static boolean answerable(Poison p) {
        byte[] partition = p.headers().get(REPLY_PARTITION);
        byte[] topic = p.headers().get(REPLY_TOPIC);
        byte[] correlation = p.headers().get(CORRELATION);
        return correlation != null && correlation.length <= 256 && partition == null
                && (topic == null || new String(topic, StandardCharsets.UTF_8).equals("score-replies"));
    }

    public static Map<String, byte[]> replyTo(byte[] partition) {
        Map<String, byte[]> h = new LinkedHashMap<>();
        h.put(CORRELATION, bytes(java.util.UUID.randomUUID().toString()));
        h.put(REPLY_TOPIC, bytes("score-replies"));
        if (partition != null) {
            h.put(REPLY_PARTITION, partition);
        }
        return h;
    }

    /** Ten truncations of a valid record and five runs of random bytes, seeded. */
    private static void fuzz(List<Poison> p, Random random, String valid, String key) {
        byte[] whole = bytes(valid);
        for (int i = 0; i < 10; i++) {
            int cut = 1 + random.nextInt(whole.length - 1);
            p.add(new Poison("truncated at " + cut + " of " + whole.length, key == null ? null : bytes(key),
                    java.util.Arrays.copyOf(whole, cut), Map.of()));
        }
        for (int i = 0; i < 5; i++) {
            byte[] noise = new byte[1 + random.nextInt(200)];
            random.nextBytes(noise);
            p.add(new Poison(noise.length + " random bytes", key == null ? null : bytes(key), noise, Map.of()));
        }
    }

    private static void add(List<Poison> p, String name, String key, String value) {
        p.add(new Poison(name, key == null ? null : bytes(key), bytes(value), Map.of()));
    }

    private static void request(List<Poison> p, String name, String value, Map<String, byte[]> headers) {
        p.add(new Poison(name, null, bytes(value), headers));
    }

    private static String event(String user, String item, String type, long timestamp) {
        return "{\"userId\":" + quote(user) + ",\"itemId\":" + quote(item) + ",\"type\":\"" + type
                + "\",\"timestamp\":" + timestamp + "}";
    }

    /** A JSON string literal; lone surrogates and controls escaped so the bytes stay what the test means. */
    private static String quote(String s) {
        StringBuilder out = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            if (c < 0x20 || Character.isSurrogate(c) || c == '"' || c == '\\') {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        return out.append('"').toString();
    }

    private static String numbered(String prefix, int n) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < n; i++) {
            out.append(i == 0 ? "" : ",").append('"').append(prefix).append(i).append('"');
        }
        return out.toString();
    }

    public static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}

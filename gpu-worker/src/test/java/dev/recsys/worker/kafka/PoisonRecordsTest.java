package dev.recsys.worker.kafka;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;

import jakarta.inject.Inject;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

import dev.recsys.core.FeedbackWeights;
import dev.recsys.core.PopularityScorer;
import dev.recsys.core.UserHistories;
import dev.recsys.core.checkpoint.CheckpointImage;
import dev.recsys.core.recommender.Recommender;
import dev.recsys.testsupport.KafkaTestResource;
import dev.recsys.testsupport.PoisonRecords;
import dev.recsys.wire.FeedbackEvent;
import dev.recsys.wire.FeedbackType;
import dev.recsys.wire.ItemUpdate;
import dev.recsys.wire.ScoreReply;
import dev.recsys.wire.ScoreRequest;
import dev.recsys.worker.CheckpointTestResource;
import dev.recsys.worker.checkpoint.WorkerCheckpoints;
import dev.recsys.worker.config.WorkerConfig;
import dev.recsys.worker.model.WorkerModel;

/**
 * Every topic the worker reads is written by clients it does not control. Poison records of every kind the
 * rules exist for, plus seeded random damage, interleaved with valid traffic on all three topics: each is
 * dead-lettered with its reason, none changes the state (histories and popularity equal a run of the valid
 * events alone), every valid request is answered meanwhile, and the next checkpoint is written and reads back.
 */
@QuarkusTest
@WithTestResource(KafkaTestResource.class)
@WithTestResource(CheckpointTestResource.class)
class PoisonRecordsTest extends WorkerKafkaClient {

    @Inject
    WorkerModel model;

    @Inject
    WorkerConfig config;

    @Inject
    WorkerCheckpoints checkpoints;

    @Test
    void everyBadRecordIsDeadLetteredWithItsReasonAndChangesNothing() throws Exception {
        long seed = System.nanoTime();
        System.out.println("PoisonRecordsTest seed " + seed);
        Random random = new Random(seed);
        String bootstrap = ConfigProvider.getConfig().getValue("kafka.bootstrap.servers", String.class);
        try (var raw = new KafkaProducer<>(Map.<String, Object>of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 1 << 20), new ByteArraySerializer(), new ByteArraySerializer())) {
            // The worker answers once it has caught up with the (empty) log and catalogue.
            awaitReply(new ScoreRequest("warm-up", 3, true), r -> r.error() == null);

            List<FeedbackEvent> valid = new ArrayList<>();
            Map<String, List<Located>> poisonBy = new HashMap<>();
            List<Long> latencies = new ArrayList<>();
            List<PoisonRecords.Poison> feedback = PoisonRecords.feedback(random);
            List<PoisonRecords.Poison> items = PoisonRecords.items(random);
            List<PoisonRecords.Poison> requests = PoisonRecords.scoreRequests(random);
            int rounds = Math.max(feedback.size(), Math.max(items.size(), requests.size()));
            List<String> answerable = new ArrayList<>();
            long t = System.currentTimeMillis() - 3_600_000;
            for (int i = 0; i < rounds; i++) {
                FeedbackEvent e = new FeedbackEvent("e" + i, "u" + random.nextInt(8), "i" + random.nextInt(12),
                        i % 3 == 0 ? FeedbackType.PURCHASE : FeedbackType.VIEW, null, t + i * 1000L);
                valid.add(e);
                feedback(e);
                item(new ItemUpdate("i" + random.nextInt(12), List.of("c" + random.nextInt(3)), false, t));
                if (i < feedback.size()) {
                    send(raw, "feedback", feedback.get(i), poisonBy);
                }
                if (i < items.size()) {
                    send(raw, "items", items.get(i), poisonBy);
                }
                if (i < requests.size()) {
                    PoisonRecords.Poison p = requests.get(i);
                    send(raw, "score-requests", p, poisonBy);
                    if (PoisonRecords.answerable(p)) {
                        answerable.add(new String(p.headers().get(PoisonRecords.CORRELATION), StandardCharsets.UTF_8));
                    }
                }
                long start = System.nanoTime();
                String c = request("u" + random.nextInt(8), 5);
                ScoreReply reply = awaitReplies(List.of(c)).get(c);
                latencies.add((System.nanoTime() - start) / 1_000_000);
                assertNull(reply.error(), "a valid request was refused: " + reply);
            }
            System.out.printf("PoisonRecordsTest: %d poison records, %d valid requests, slowest answer %d ms%n",
                    feedback.size() + items.size() + requests.size(), latencies.size(),
                    latencies.stream().mapToLong(Long::longValue).max().orElse(0));
            assertTrue(latencies.stream().allMatch(ms -> ms < 1000), "valid requests answered within 1 s: " + latencies);

            // Poison score requests whose reply address is fine are answered with the reason.
            Map<String, ScoreReply> refusals = awaitReplies(answerable);
            for (ScoreReply r : refusals.values()) {
                assertEquals(ScoreReply.Error.INVALID, r.error().code(), r.toString());
            }

            // Each bad record is on its dead-letter topic with a reason; no valid record is.
            for (String topic : List.of("feedback", "items", "score-requests")) {
                Map<String, Header> reasons = deadLetters(bootstrap, topic, poisonBy.get(topic).size());
                for (Located l : poisonBy.get(topic)) {
                    Header reason = reasons.get(l.partition() + "@" + l.offset());
                    assertTrue(reason != null, topic + ": '" + l.name() + "' is not on " + topic + "-dlq");
                    assertFalse(new String(reason.value(), StandardCharsets.UTF_8).isBlank(), l.name());
                }
                assertEquals(poisonBy.get(topic).size(), reasons.size(), topic + "-dlq holds only the poison");
            }

            // The state equals that of the valid events alone.
            Reference expected = Reference.of(config, valid);
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertEquals(expected.histories(),
                    model.state().histories().state()));
            PopularityScorer.Image got = model.state().popularity().state();
            Map<String, Double> want = atNewest(expected.popularity());
            Map<String, Double> have = atNewest(got);
            assertEquals(want.keySet(), have.keySet());
            want.forEach((item, mass) -> assertEquals(mass, have.get(item), 1e-9 * mass, item));
            assertEquals(expected.popularity().events(), got.events());
            assertEquals(expected.popularity().newest(), got.newest());

            // And the next checkpoint is written and reads back with exactly those histories.
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                CheckpointImage saved = checkpoints.loadLatest().orElseThrow().state();
                assertEquals(expected.histories(), saved.histories());
            });
        }
    }

    /**
     * Popularity masses decayed to the newest event: the same for any order of the same events (the stored
     * masses are relative to whichever event came first, which differs across partitions).
     */
    private Map<String, Double> atNewest(PopularityScorer.Image s) {
        double halfLife = config.popularity().halfLife().toMillis();
        Map<String, Double> out = new HashMap<>();
        s.masses().forEach((item, m) -> out.put(item, m * Math.pow(2, (s.anchor() - s.newest()) / halfLife)));
        return out;
    }

    private record Located(String name, int partition, long offset) {
    }

    private static void send(KafkaProducer<byte[], byte[]> raw, String topic, PoisonRecords.Poison p,
            Map<String, List<Located>> poisonBy) throws Exception {
        var record = new ProducerRecord<>(topic, p.key(), p.value());
        p.headers().forEach((k, v) -> record.headers().add(k, v));
        RecordMetadata m = raw.send(record).get();
        poisonBy.computeIfAbsent(topic, k -> new ArrayList<>()).add(new Located(p.name(), m.partition(), m.offset()));
    }

    /** The dead-letter reasons on {@code topic}-dlq by source partition@offset, once {@code expected} are there. */
    private static Map<String, Header> deadLetters(String bootstrap, String topic, int expected) {
        Map<String, Header> reasons = new HashMap<>();
        try (var dlq = new KafkaConsumer<>(Map.<String, Object>of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.GROUP_ID_CONFIG, "dlq-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"), new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            dlq.subscribe(List.of(topic + "-dlq"));
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                for (ConsumerRecord<byte[], byte[]> r : dlq.poll(Duration.ofMillis(200))) {
                    assertEquals(topic, text(r.headers().lastHeader(DeadLetters.TOPIC)));
                    reasons.put(text(r.headers().lastHeader(DeadLetters.PARTITION)) + "@"
                            + text(r.headers().lastHeader(DeadLetters.OFFSET)), r.headers().lastHeader(DeadLetters.REASON));
                }
                return reasons.size() >= expected;
            });
            // Anything more that arrives shortly after would be a valid record refused by mistake.
            for (ConsumerRecord<byte[], byte[]> r : dlq.poll(Duration.ofMillis(500))) {
                reasons.put(text(r.headers().lastHeader(DeadLetters.PARTITION)) + "@"
                        + text(r.headers().lastHeader(DeadLetters.OFFSET)), r.headers().lastHeader(DeadLetters.REASON));
            }
        }
        return reasons;
    }

    private static String text(Header h) {
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    /** What a worker that only ever saw the valid events holds. */
    private record Reference(java.util.SortedMap<String, dev.recsys.core.UserHistory.Image> histories,
            PopularityScorer.Image popularity) {

        static Reference of(WorkerConfig config, List<FeedbackEvent> events) {
            var histories = new UserHistories(config.history().maxLength(), config.history().maxSeen());
            var popularity = new PopularityScorer(config.popularity().halfLife().toMillis(),
                    config.popularity().refresh().toNanos());
            Map<FeedbackType, Double> weights = new java.util.EnumMap<>(FeedbackType.class);
            config.feedbackWeights().forEach((type, w) -> weights.put(FeedbackType.parse(type).orElseThrow(), w));
            Recommender reference = Recommender.popularityOnly(histories, popularity,
                    new FeedbackWeights(weights, config.positiveRating()));
            events.forEach(e -> reference.apply(e, e.timestamp()));
            return new Reference(histories.state(), popularity.state());
        }
    }
}

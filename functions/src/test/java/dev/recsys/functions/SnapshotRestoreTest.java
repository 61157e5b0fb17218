package dev.recsys.functions;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import jakarta.inject.Inject;

import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.ConfigProvider;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.smallrye.reactive.messaging.kafka.reply.KafkaRequestReply;

import dev.recsys.functions.snapstart.SnapshotRestore;
import dev.recsys.testsupport.KafkaTestResource;
import dev.recsys.wire.ScoreReply;
import dev.recsys.wire.ScoredItem;

/**
 * After a snapshot restore the reply consumer is where it was when the snapshot was taken: the restore moves it
 * to the newest reply, and scoring goes on through the same clients.
 */
@QuarkusTest
@WithTestResource(KafkaTestResource.class)
class SnapshotRestoreTest {

    static StandInWorker worker;

    @Inject
    SnapshotRestore restore;

    @Inject
    @Channel("score-requests")
    KafkaRequestReply<dev.recsys.wire.ScoreRequest, ScoreReply> scoring;

    @AfterAll
    static void stop() throws InterruptedException {
        if (worker != null) {
            worker.close();
        }
    }

    @Test
    void aRestoreSkipsTheRepliesWrittenSinceTheSnapshotAndScoringGoesOn() throws Exception {
        String bootstrap = ConfigProvider.getConfig().getValue("kafka.bootstrap.servers", String.class);
        worker = new StandInWorker(bootstrap, request -> new ScoreReply(List.of(new ScoredItem("m9", 1.0)), "s@0"));
        given().contentType(ContentType.JSON).body("{\"userId\":\"u1\"}").post("/recommend").then().statusCode(200);
        TopicPartition replies = new TopicPartition("score-replies", 0);
        try (var producer = new KafkaProducer<>(Map.<String, Object>of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap),
                new StringSerializer(), new StringSerializer())) {
            for (int i = 0; i < 2_000; i++) { // other instances' replies, written while this one was frozen
                producer.send(new ProducerRecord<>("score-replies", 0, null, "{\"items\":[]}"));
            }
        }
        // As if the snapshot was taken before them: the consumer back at the start of the partition.
        scoring.getConsumer().seekToBeginning(List.of(replies)).await().atMost(Duration.ofSeconds(5));
        long before = restore.restores();

        restore.restored();

        @SuppressWarnings("unchecked")
        var consumer = (io.smallrye.reactive.messaging.kafka.KafkaConsumer<Object, ScoreReply>) scoring.getConsumer();
        Function<Consumer<Object, ScoreReply>, Long> endOf = c -> c.endOffsets(List.of(replies)).get(replies);
        Function<Consumer<Object, ScoreReply>, Long> positionOf = c -> c.position(replies);
        long end = consumer.runOnPollingThread(endOf).await().atMost(Duration.ofSeconds(5));
        long position = consumer.runOnPollingThread(positionOf).await().atMost(Duration.ofSeconds(5));
        assertEquals(end, position, "the reply consumer is at the newest reply");
        assertEquals(before + 1, restore.restores());
        given().contentType(ContentType.JSON).body("{\"userId\":\"u2\"}").post("/recommend")
                .then().statusCode(200).body("items[0].itemId", equalTo("m9"));
    }
}

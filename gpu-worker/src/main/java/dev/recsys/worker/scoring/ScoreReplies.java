package dev.recsys.worker.scoring;

import java.time.Duration;
import java.util.Map;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.StringSerializer;
import org.jboss.logging.Logger;

import io.quarkus.kafka.client.serialization.ObjectMapperSerializer;

import dev.recsys.wire.ScoreReply;
import dev.recsys.worker.kafka.KafkaClients;

/**
 * Sends each score reply to the topic and partition its requester named, with its correlation id. A reply
 * that cannot be sent is logged and lost (its caller times out); the scoring loop never waits longer than
 * the producer's bound for it.
 */
final class ScoreReplies implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(ScoreReplies.class);

    private final KafkaProducer<String, ScoreReply> producer;

    /** @param maxBlock the longest a send may block, e.g. on a reply partition that does not exist */
    ScoreReplies(KafkaClients clients, Duration maxBlock) {
        this.producer = new KafkaProducer<>(clients.config(Map.of(
                // A reply waiting for more replies to batch with is latency the caller sees.
                ProducerConfig.LINGER_MS_CONFIG, 0,
                ProducerConfig.ACKS_CONFIG, "1",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, false,
                ProducerConfig.MAX_BLOCK_MS_CONFIG, (int) maxBlock.toMillis())),
                new StringSerializer(), new ObjectMapperSerializer<>());
    }

    /** The producer, for checking that a named reply partition exists. */
    Producer<?, ?> producer() {
        return producer;
    }

    void send(ConsumerRecord<String, byte[]> request, ReplyAddress address, ScoreReply answer) {
        Headers out = new RecordHeaders();
        out.add(address.correlationId());
        try {
            producer.send(new ProducerRecord<>(address.topic(), address.partition(), request.key(), answer, out),
                    (m, e) -> {
                        if (e != null) {
                            LOG.warnf("a score reply was not delivered: %s", e.toString());
                        }
                    });
        } catch (RuntimeException e) {
            // max.block.ms bounds this: a reply the producer cannot take is lost, the loop goes on.
            LOG.warnf("a score reply was not sent: %s", e.toString());
        }
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(2));
    }
}

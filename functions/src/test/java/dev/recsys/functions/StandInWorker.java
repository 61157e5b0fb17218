package dev.recsys.functions;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.recsys.wire.ScoreReply;
import dev.recsys.wire.ScoreRequest;
import io.smallrye.reactive.messaging.kafka.reply.KafkaRequestReply;

/**
 * Answers score requests on the real broker the way the worker does (reply topic, partition and
 * correlation id from the request's headers), with whatever {@code answer} makes of each request; it keeps
 * every request it read, so a test can check what the function sent.
 */
final class StandInWorker implements AutoCloseable {

    final List<ScoreRequest> received = new CopyOnWriteArrayList<>();
    /** Each request's record key, in the order of {@link #received} ("" for none). */
    final List<String> keys = new CopyOnWriteArrayList<>();
    private final ObjectMapper json = new ObjectMapper();
    private final KafkaConsumer<String, String> consumer;
    private final KafkaProducer<String, String> producer;
    private final Thread thread;
    private volatile boolean running = true;

    StandInWorker(String bootstrap, Function<ScoreRequest, ScoreReply> answer) {
        this(bootstrap, (request, bytes) -> answer.apply(request));
    }

    /** @param answer given the request and the record's raw value, as the worker reads it */
    StandInWorker(String bootstrap, java.util.function.BiFunction<ScoreRequest, byte[], ScoreReply> answer) {
        consumer = new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap),
                new StringDeserializer(), new StringDeserializer());
        producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ProducerConfig.LINGER_MS_CONFIG, 0), new StringSerializer(), new StringSerializer());
        List<TopicPartition> partitions = consumer.partitionsFor("score-requests").stream()
                .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
        consumer.assign(partitions);
        consumer.seekToEnd(partitions);
        partitions.forEach(consumer::position); // resolve "end" now, before any request is sent
        thread = new Thread(() -> {
            try {
                while (running) {
                    for (var r : consumer.poll(Duration.ofMillis(100))) {
                        ScoreRequest request = json.readValue(r.value(), ScoreRequest.class);
                        keys.add(r.key() == null ? "" : r.key());
                        received.add(request);
                        Header topic = r.headers().lastHeader(KafkaRequestReply.DEFAULT_REPLY_TOPIC_HEADER);
                        Header partition = r.headers().lastHeader(KafkaRequestReply.DEFAULT_REPLY_PARTITION_HEADER);
                        var reply = new ProducerRecord<>(new String(topic.value(), StandardCharsets.UTF_8),
                                partition == null ? null : KafkaRequestReply.replyPartitionFromBytes(partition.value()),
                                r.key(), json.writeValueAsString(answer.apply(request, r.value().getBytes(StandardCharsets.UTF_8))));
                        reply.headers().add(r.headers().lastHeader(KafkaRequestReply.DEFAULT_REPLY_CORRELATION_ID_HEADER));
                        producer.send(reply);
                    }
                }
            } catch (WakeupException e) {
                // closing
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }, "stand-in-worker");
        thread.start();
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        consumer.wakeup();
        thread.join(5000);
        consumer.close();
        producer.close();
    }
}

package dev.recsys.functions.kafka;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.apache.kafka.clients.producer.ProducerRecord;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.recsys.functions.config.FunctionsConfig;
import dev.recsys.wire.FeedbackEvent;
import dev.recsys.wire.ForgetUser;
import dev.recsys.wire.ItemUpdate;

/** The {@link EventLog} on Kafka: JSON values, topics from {@code functions.*}, one transaction per batch. */
@ApplicationScoped
public class KafkaEventLog implements EventLog {

    private final BatchPublisher publisher;
    private final ObjectMapper json;
    private final String feedbackTopic;
    private final String itemsTopic;

    @Inject
    public KafkaEventLog(BatchPublisher publisher, ObjectMapper json, FunctionsConfig config) {
        this.publisher = publisher;
        this.json = json;
        this.feedbackTopic = config.ingest().topic();
        this.itemsTopic = config.items().topic();
    }

    @Override
    public CompletableFuture<Void> feedback(List<FeedbackEvent> events) {
        return publisher.publish(records(feedbackTopic, events, FeedbackEvent::userId));
    }

    @Override
    public CompletableFuture<Void> forgetUser(ForgetUser forget) {
        ProducerRecord<String, byte[]> record = records(feedbackTopic, List.of(forget), ForgetUser::userId).get(0);
        record.headers().add(ForgetUser.HEADER, ForgetUser.TYPE.getBytes(StandardCharsets.UTF_8));
        return publisher.publish(List.of(record));
    }

    @Override
    public CompletableFuture<Void> items(List<ItemUpdate> items) {
        return publisher.publish(records(itemsTopic, items, ItemUpdate::itemId));
    }

    private <T> List<ProducerRecord<String, byte[]>> records(String topic, List<T> values, Function<T, String> key) {
        List<ProducerRecord<String, byte[]>> out = new ArrayList<>(values.size());
        for (T v : values) {
            try {
                out.add(new ProducerRecord<>(topic, key.apply(v), json.writeValueAsBytes(v)));
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("cannot serialise a validated " + v.getClass().getSimpleName(), e);
            }
        }
        return out;
    }
}

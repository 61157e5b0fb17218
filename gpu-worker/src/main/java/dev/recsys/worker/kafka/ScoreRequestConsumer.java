package dev.recsys.worker.kafka;

import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Emitter;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.OnOverflow;
import org.jboss.logging.Logger;

import dev.recsys.wire.ScoreReply;
import dev.recsys.wire.ScoreRequest;
import dev.recsys.worker.WorkerConfig;
import dev.recsys.worker.core.Recommendations;
import dev.recsys.worker.core.Recommender;
import io.smallrye.reactive.messaging.annotations.Blocking;
import io.smallrye.reactive.messaging.kafka.reply.KafkaRequestReply;

/**
 * Answers score requests: everything one poll returned is scored in one batch, and each reply goes to the
 * topic and partition the requester named, carrying its correlation id (SmallRye's request-reply protocol).
 */
@ApplicationScoped
public class ScoreRequestConsumer {

    private static final Logger LOG = Logger.getLogger(ScoreRequestConsumer.class);

    @Inject
    Recommender recommender;

    @Inject
    WorkerConfig config;

    @Inject
    @Channel("score-replies")
    @OnOverflow(value = OnOverflow.Strategy.BUFFER, bufferSize = 8192)
    Emitter<ProducerRecord<String, ScoreReply>> replies;

    @Incoming("score-requests")
    @Blocking(ordered = true)
    public void answer(ConsumerRecords<String, ScoreRequest> records) {
        long oldest = System.currentTimeMillis() - config.scoring().maxRequestAge().toMillis();
        List<ConsumerRecord<String, ScoreRequest>> live = new ArrayList<>(records.count());
        for (ConsumerRecord<String, ScoreRequest> r : records) {
            Header correlation = r.headers().lastHeader(KafkaRequestReply.DEFAULT_REPLY_CORRELATION_ID_HEADER);
            if (r.value() == null || correlation == null || r.timestamp() < oldest) {
                continue;
            }
            live.add(r);
        }
        if (live.size() < records.count()) {
            LOG.debugf("dropped %d stale or malformed score requests", records.count() - live.size());
        }
        if (live.isEmpty()) {
            return;
        }
        List<ScoreRequest> requests = new ArrayList<>(live.size());
        for (ConsumerRecord<String, ScoreRequest> r : live) {
            requests.add(r.value());
        }
        List<Recommendations> answers = recommender.recommend(requests);
        for (int i = 0; i < live.size(); i++) {
            replies.send(reply(live.get(i), answers.get(i)));
        }
    }

    private static ProducerRecord<String, ScoreReply> reply(ConsumerRecord<String, ScoreRequest> request,
            Recommendations answer) {
        var in = request.headers();
        Header topicHeader = in.lastHeader(KafkaRequestReply.DEFAULT_REPLY_TOPIC_HEADER);
        Header partitionHeader = in.lastHeader(KafkaRequestReply.DEFAULT_REPLY_PARTITION_HEADER);
        String topic = topicHeader == null ? "score-replies" : new String(topicHeader.value());
        Integer partition = null;
        if (partitionHeader != null) {
            int p = KafkaRequestReply.replyPartitionFromBytes(partitionHeader.value());
            partition = p >= 0 ? p : null;
        }
        var headers = new RecordHeaders();
        headers.add(in.lastHeader(KafkaRequestReply.DEFAULT_REPLY_CORRELATION_ID_HEADER));
        return new ProducerRecord<>(topic, partition, request.key(),
                new ScoreReply(answer.items(), answer.modelVersion()), headers);
    }
}

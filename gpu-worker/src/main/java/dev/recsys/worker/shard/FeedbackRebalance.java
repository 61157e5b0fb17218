package dev.recsys.worker.shard;

import java.util.Collection;
import java.util.List;
import java.util.OptionalLong;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.common.TopicPartition;
import org.jboss.logging.Logger;

import io.smallrye.common.annotation.Identifier;
import io.smallrye.reactive.messaging.kafka.KafkaConsumerRebalanceListener;

import dev.recsys.worker.model.FeedbackPosition;

/**
 * Positions the feedback consumer where the worker's state ends: at the offsets of the checkpoint it was
 * restored from (or has applied since), else at the beginning of the log. Offsets are never committed to
 * Kafka: the checkpoint is the only record of what was applied, so no event is lost or applied twice. A
 * serving shard's partitions change hands here too ({@link ShardOwnership}).
 */
@ApplicationScoped
@Identifier("feedback-rebalance")
public class FeedbackRebalance implements KafkaConsumerRebalanceListener {

    private static final Logger LOG = Logger.getLogger(FeedbackRebalance.class);

    private final FeedbackPosition applied;
    private final ShardOwnership shard;

    @Inject
    public FeedbackRebalance(FeedbackPosition applied, ShardOwnership shard) {
        this.applied = applied;
        this.shard = shard;
    }

    @Override
    public void onPartitionsRevoked(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
        if (shard.enabled()) {
            shard.revoked(partitions);
        }
    }

    @Override
    public void onPartitionsLost(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
        onPartitionsRevoked(consumer, partitions);
    }

    @Override
    public void onPartitionsAssigned(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
        // Checkpoints split users' histories by this count (a shard reads only its partitions' part).
        partitions.stream().findAny().ifPresent(tp -> applied.partitionCount(consumer.partitionsFor(tp.topic()).size()));
        if (shard.enabled()) {
            // A shard first takes up the histories and positions of partitions new to it, then seeks as below.
            shard.assigned(consumer, partitions);
        }
        for (TopicPartition tp : partitions) {
            OptionalLong next = applied.nextOffset(tp.partition());
            if (next.isPresent()) {
                consumer.seek(tp, next.getAsLong());
            } else {
                consumer.seekToBeginning(List.of(tp));
            }
        }
        LOG.infof("feedback partitions %s assigned; resuming at %s", partitions,
                partitions.stream().map(tp -> tp.partition() + "@" + applied.nextOffset(tp.partition())).toList());
    }
}

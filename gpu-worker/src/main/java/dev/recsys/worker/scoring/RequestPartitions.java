package dev.recsys.worker.scoring;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RetriableException;
import org.jboss.logging.Logger;

import dev.recsys.worker.shard.ShardOwnership;

/**
 * A serving shard's score-request partitions, kept to the numbers of the feedback partitions it owns (the
 * topics are co-partitioned by userId), by assignment: no consumer group of their own. A newly assigned
 * partition starts at the requests still younger than {@code maxRequestAge}, so those sent while it changed
 * hands are answered too. Used from the scoring thread only.
 */
final class RequestPartitions {

    private static final Logger LOG = Logger.getLogger(RequestPartitions.class);

    private final Consumer<?, ?> consumer;
    private final ShardOwnership shard;
    private final String topic;
    private final String feedbackTopic;
    private final Duration maxRequestAge;
    private Set<Integer> assigned = Set.of();

    RequestPartitions(Consumer<?, ?> consumer, ShardOwnership shard, String topic, String feedbackTopic,
            Duration maxRequestAge) {
        this.consumer = consumer;
        this.shard = shard;
        this.topic = topic;
        this.feedbackTopic = feedbackTopic;
        this.maxRequestAge = maxRequestAge;
    }

    /**
     * Follows the shard's ownership; false (after a short pause) while nothing is owned or the broker did not
     * answer, so that the caller does not poll with nothing assigned.
     *
     * @throws IllegalStateException when the request topic is not co-partitioned with feedback
     */
    boolean follow() {
        try {
            return assignOwned();
        } catch (RetriableException e) {
            LOG.warnf("score-request partitions not reassigned yet (broker: %s); retrying", e.toString());
            pause(500);
            return false;
        }
    }

    private boolean assignOwned() {
        Set<Integer> owned = shard.owned();
        if (owned.isEmpty()) {
            if (!assigned.isEmpty()) {
                consumer.assign(List.of());
                assigned = owned;
            }
            pause(100);
            return false;
        }
        if (owned.equals(assigned)) {
            return true;
        }
        int requestPartitions = consumer.partitionsFor(topic).size();
        if (requestPartitions != shard.partitions()) {
            throw new IllegalStateException("worker.mode=shard needs " + topic + " to have as many partitions as "
                    + feedbackTopic + " (" + requestPartitions + " against " + shard.partitions()
                    + "): a user's requests must land on the partition number of their events");
        }
        List<TopicPartition> now = owned.stream().map(p -> new TopicPartition(topic, p)).toList();
        consumer.assign(now);
        Map<TopicPartition, Long> since = new HashMap<>();
        long from = System.currentTimeMillis() - maxRequestAge.toMillis();
        now.stream().filter(tp -> !assigned.contains(tp.partition())).forEach(tp -> since.put(tp, from));
        if (!since.isEmpty()) {
            consumer.offsetsForTimes(since).forEach((tp, at) -> {
                if (at == null) {
                    consumer.seekToEnd(List.of(tp));
                } else {
                    consumer.seek(tp, at.offset());
                }
            });
        }
        LOG.infof("shard answers the score requests of partitions %s", new TreeSet<>(owned));
        assigned = owned;
        return true;
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

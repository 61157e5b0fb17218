package dev.recsys.worker.scoring;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.jboss.logging.Logger;

import io.smallrye.reactive.messaging.kafka.reply.KafkaRequestReply;

/**
 * Where the answer to one score request goes: the reply topic, the partition the requester reads (if it
 * named one) and the correlation id it waits for, from SmallRye's request-reply headers. The headers come from
 * any client, so they are checked: a correlation id of sane size; the worker's own reply topic only (a request
 * must not make the worker write anywhere else); a partition header of exactly four bytes naming a partition
 * that exists (the producer would otherwise wait up to max.block.ms for it to appear).
 */
record ReplyAddress(String topic, Integer partition, Header correlationId) {

    static final int MAX_CORRELATION_ID_BYTES = 256;

    /** Either an address or why there is none (the header at fault as the field). */
    record Parsed(ReplyAddress address, String field, String reason) {
        boolean ok() {
            return address != null;
        }
    }

    /** Reads addresses for one reply topic, knowing its partition count (re-read at most every few seconds). */
    static final class Reader {

        private static final Logger LOG = Logger.getLogger(Reader.class);
        private static final long REFRESH_NANOS = TimeUnit.SECONDS.toNanos(5);
        private static final String CORRELATION = KafkaRequestReply.DEFAULT_REPLY_CORRELATION_ID_HEADER;
        private static final String TOPIC = KafkaRequestReply.DEFAULT_REPLY_TOPIC_HEADER;
        private static final String PARTITION = KafkaRequestReply.DEFAULT_REPLY_PARTITION_HEADER;

        private final String replyTopic;
        private final Producer<?, ?> producer;
        private int partitions = -1;
        private long checkedAt;

        Reader(String replyTopic, Producer<?, ?> producer) {
            this.replyTopic = replyTopic;
            this.producer = producer;
        }

        Parsed parse(Headers headers) {
            Header correlation = headers.lastHeader(CORRELATION);
            if (correlation == null || correlation.value() == null || correlation.value().length == 0) {
                return refused(CORRELATION, "missing: nobody could receive the answer");
            }
            if (correlation.value().length > MAX_CORRELATION_ID_BYTES) {
                return refused(CORRELATION, "is " + correlation.value().length + " bytes; the limit is "
                        + MAX_CORRELATION_ID_BYTES);
            }
            Header topicHeader = headers.lastHeader(TOPIC);
            if (topicHeader != null) {
                String named = topicHeader.value() == null ? "" : new String(topicHeader.value(), StandardCharsets.UTF_8);
                if (!replyTopic.equals(named)) {
                    return refused(TOPIC, "names a topic other than this worker's reply topic " + replyTopic);
                }
            }
            Integer partition = null;
            Header partitionHeader = headers.lastHeader(PARTITION);
            if (partitionHeader != null) {
                byte[] bytes = partitionHeader.value();
                if (bytes == null || bytes.length != Integer.BYTES) {
                    return refused(PARTITION, "must be a 4-byte big-endian partition number, got "
                            + (bytes == null ? "none" : bytes.length + " bytes"));
                }
                int p = ByteBuffer.wrap(bytes).getInt();
                if (p >= 0) {
                    // Negative: "any partition", as SmallRye writes it when the requester reads them all.
                    int count = partitions(p);
                    if (count >= 0 && p >= count) {
                        return refused(PARTITION, "names partition " + p + " of " + replyTopic + ", which has "
                                + count);
                    }
                    partition = p;
                }
            }
            return new Parsed(new ReplyAddress(replyTopic, partition, correlation), null, null);
        }

        /** The reply topic's partition count; -1 while unknown (the producer then bounds the wait itself). */
        private int partitions(int wanted) {
            long now = System.nanoTime();
            boolean stale = now - checkedAt > REFRESH_NANOS;
            if (partitions < 0 || (wanted >= partitions && stale) || now - checkedAt > 60 * REFRESH_NANOS) {
                checkedAt = now;
                try {
                    partitions = producer.partitionsFor(replyTopic).size();
                } catch (RuntimeException e) {
                    LOG.warnf("cannot read the partitions of %s: %s", replyTopic, e.toString());
                }
            }
            return partitions;
        }

        private static Parsed refused(String header, String reason) {
            return new Parsed(null, "header " + header, reason);
        }
    }
}

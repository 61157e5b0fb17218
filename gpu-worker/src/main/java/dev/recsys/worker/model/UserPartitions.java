package dev.recsys.worker.model;

import java.nio.charset.StandardCharsets;

import org.apache.kafka.common.utils.Utils;

/**
 * The partition a user's records land on: Kafka's default partitioner for a string key (murmur2 of its UTF-8
 * bytes), which both ingest and the score requests use with the userId as key. Same partition count, same
 * number, on {@code feedback} and {@code score-requests} alike.
 */
public final class UserPartitions {

    private UserPartitions() {
    }

    public static int of(String userId, int partitions) {
        if (partitions < 1) {
            throw new IllegalStateException("partition count not known yet");
        }
        return Utils.toPositive(Utils.murmur2(userId.getBytes(StandardCharsets.UTF_8))) % partitions;
    }
}

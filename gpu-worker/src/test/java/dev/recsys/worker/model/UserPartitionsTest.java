package dev.recsys.worker.model;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.Random;

import org.apache.kafka.clients.producer.internals.BuiltInPartitioner;
import org.junit.jupiter.api.Test;

/** A shard finds its users where the producers put them: the partition Kafka's own partitioner picks. */
class UserPartitionsTest {

    @Test
    void everyUserIdLandsWhereKafkasPartitionerPutsItsKey() {
        Random random = new Random(7);
        for (int i = 0; i < 20_000; i++) {
            StringBuilder id = new StringBuilder();
            int length = 1 + random.nextInt(40);
            for (int c = 0; c < length; c++) {
                // Any code point a user id may hold, emoji (surrogate pairs) included.
                id.appendCodePoint(random.nextInt(10) == 0 ? 0x1F600 + random.nextInt(80) : 0x20 + random.nextInt(0x3000));
            }
            int partitions = 1 + random.nextInt(64);
            String user = id.toString();
            assertEquals(BuiltInPartitioner.partitionForKey(user.getBytes(StandardCharsets.UTF_8), partitions),
                    UserPartitions.of(user, partitions), user);
        }
    }
}

package dev.recsys.worker.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

import dev.recsys.testsupport.KafkaTestResource;

/** On a broker that lacks its topics (auto-creation is off there), the worker creates them at start. */
@QuarkusTest
@WithTestResource(KafkaTestResource.class)
@TestProfile(TopicSetupTest.OwnTopics.class)
class TopicSetupTest {

    public static class OwnTopics implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("worker.topics.create", "true",
                    "worker.topics.feedback-partitions", "3",
                    "worker.topics.scoring-partitions", "1",
                    "worker.feedback-topic", "feedback-created",
                    "worker.scoring.request-topic", "requests-created",
                    "worker.scoring.reply-topic", "replies-created",
                    "worker.items.topic", "items-created",
                    "worker.topics.retention", "P3D");
        }
    }

    @Test
    void missingTopicsAreCreatedWithTheConfiguredPartitions() throws Exception {
        String bootstrap = ConfigProvider.getConfig().getValue("kafka.bootstrap.servers", String.class);
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            Map<String, TopicDescription> topics = admin.describeTopics(
                    List.of("feedback-created", "requests-created", "replies-created")).allTopicNames().get();
            assertEquals(3, topics.get("feedback-created").partitions().size());
            assertEquals(1, topics.get("requests-created").partitions().size());
            assertEquals(1, topics.get("replies-created").partitions().size());
            ConfigResource items = new ConfigResource(ConfigResource.Type.TOPIC, "items-created");
            assertEquals("compact", admin.describeConfigs(List.of(items)).all().get().get(items)
                    .get(TopicConfig.CLEANUP_POLICY_CONFIG).value(), "the catalogue keeps the newest update per item");
            assertEquals(Long.toString(java.time.Duration.ofDays(1).toMillis()), admin.describeConfigs(List.of(items))
                    .all().get().get(items).get(TopicConfig.MIN_COMPACTION_LAG_MS_CONFIG).value(),
                    "nothing after the newest checkpoint is compacted away");
            ConfigResource feedback = new ConfigResource(ConfigResource.Type.TOPIC, "feedback-created");
            assertEquals(Long.toString(java.time.Duration.ofDays(3).toMillis()), admin.describeConfigs(List.of(feedback))
                    .all().get().get(feedback).get(TopicConfig.RETENTION_MS_CONFIG).value(), "retention set explicitly");
            // Copies of a user's data elsewhere live shorter: requests and replies an hour, dead letters a day.
            for (var expected : Map.of("requests-created", "PT1H", "replies-created", "PT1H",
                    "feedback-created-dlq", "P1D", "requests-created-dlq", "P1D").entrySet()) {
                ConfigResource topic = new ConfigResource(ConfigResource.Type.TOPIC, expected.getKey());
                assertEquals(Long.toString(java.time.Duration.parse(expected.getValue()).toMillis()),
                        admin.describeConfigs(List.of(topic)).all().get().get(topic)
                                .get(TopicConfig.RETENTION_MS_CONFIG).value(), expected.getKey());
            }
        }
    }
}

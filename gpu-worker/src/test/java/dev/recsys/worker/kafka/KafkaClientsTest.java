package dev.recsys.worker.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;

import org.junit.jupiter.api.Test;

class KafkaClientsTest {

    @Test
    void applicationSettingsComeFirstAndTheClientsOwnWin() {
        Map<String, Object> merged = KafkaClients.with(
                Map.of("security.protocol", "SASL_SSL", "sasl.mechanism", "AWS_MSK_IAM", "linger.ms", 5),
                Map.of("linger.ms", 0, "bootstrap.servers", "b:9098"));
        assertEquals("SASL_SSL", merged.get("security.protocol"));
        assertEquals("AWS_MSK_IAM", merged.get("sasl.mechanism"));
        assertEquals(0, merged.get("linger.ms"));
        assertEquals("b:9098", merged.get("bootstrap.servers"));
    }

    @Test
    void theMskProfilesClassesAreOnTheClasspath() throws Exception {
        // Named in %msk.kafka.sasl.* in application.properties: without them the msk profile fails at start.
        Class.forName("software.amazon.msk.auth.iam.IAMLoginModule");
        Class.forName("software.amazon.msk.auth.iam.IAMClientCallbackHandler");
    }
}

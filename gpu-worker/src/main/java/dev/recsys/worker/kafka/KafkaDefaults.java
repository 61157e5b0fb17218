package dev.recsys.worker.kafka;

import java.util.HashMap;
import java.util.Map;

/**
 * The worker's plain Kafka clients take the application's {@code kafka.*} settings first (security
 * protocol, SASL for MSK's IAM authentication, ...) and then their own, which win.
 */
public final class KafkaDefaults {

    private KafkaDefaults() {
    }

    public static Map<String, Object> with(Map<String, Object> defaults, Map<String, Object> own) {
        Map<String, Object> merged = new HashMap<>(defaults);
        merged.putAll(own);
        return merged;
    }
}

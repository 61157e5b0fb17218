package dev.recsys.worker.kafka;

import java.util.HashMap;
import java.util.Map;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import io.smallrye.common.annotation.Identifier;

/**
 * The settings of the worker's plain Kafka clients (those outside SmallRye's channels): the application's
 * {@code kafka.*} settings first (security protocol, SASL for MSK's IAM authentication, ...), the bootstrap
 * servers, then each client's own, which win.
 */
@Singleton
public class KafkaClients {

    private final String bootstrap;
    private final Map<String, Object> defaults;

    @Inject
    public KafkaClients(@ConfigProperty(name = "kafka.bootstrap.servers") String bootstrap,
            @Identifier("default-kafka-broker") Map<String, Object> defaults) {
        this.bootstrap = bootstrap;
        this.defaults = Map.copyOf(defaults);
    }

    public String bootstrap() {
        return bootstrap;
    }

    /** A client's configuration: the application's settings and the bootstrap servers, then {@code own}. */
    public Map<String, Object> config(Map<String, Object> own) {
        Map<String, Object> withBootstrap = new HashMap<>(defaults);
        withBootstrap.put("bootstrap.servers", bootstrap);
        return with(withBootstrap, own);
    }

    static Map<String, Object> with(Map<String, Object> defaults, Map<String, Object> own) {
        Map<String, Object> merged = new HashMap<>(defaults);
        merged.putAll(own);
        return merged;
    }
}

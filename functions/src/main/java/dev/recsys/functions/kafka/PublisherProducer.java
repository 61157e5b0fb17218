package dev.recsys.functions.kafka;

import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import io.smallrye.common.annotation.Identifier;

import dev.recsys.functions.config.FunctionsConfig;

public class PublisherProducer {

    @Produces
    @ApplicationScoped
    BatchPublisher publisher(@ConfigProperty(name = "kafka.bootstrap.servers") String bootstrap,
            FunctionsConfig config, @Identifier("default-kafka-broker") Map<String, Object> kafkaDefaults) {
        var ingest = config.ingest();
        return new BatchPublisher(kafkaDefaults, bootstrap, ingest.brokerTimeout(), ingest.maxQueuedEvents(),
                ingest.maxEventsPerTransaction());
    }

    void close(@Disposes BatchPublisher publisher) {
        publisher.close();
    }
}

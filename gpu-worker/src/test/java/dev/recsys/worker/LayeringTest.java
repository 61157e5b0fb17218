package dev.recsys.worker;

import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import org.junit.jupiter.api.Test;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;

/**
 * Inside the worker, dependencies point one way: adapters (health checks, then the scoring loop, then the
 * Kafka intake, then the shards' partition ownership) → the wiring (the composition root, gauges, the thread
 * registry) → checkpoints → the live model and its life → configuration, and all of it onto ml-core. A service that reached back into an adapter (a checkpoint calling the dead-letter
 * producer, the scoring loop calling a health check, the model loading a checkpoint) fails here.
 */
class LayeringTest {

    static final JavaClasses WORKER = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS).importPackages("dev.recsys.worker");

    @Test
    void adaptersDependOnServicesNeverTheOtherWay() {
        layeredArchitecture().consideringOnlyDependenciesInLayers()
                .layer("Health").definedBy("dev.recsys.worker.health..")
                .layer("Scoring").definedBy("dev.recsys.worker.scoring..")
                .layer("Kafka").definedBy("dev.recsys.worker.kafka..")
                .layer("Shard").definedBy("dev.recsys.worker.shard..")
                .layer("Wiring").definedBy("dev.recsys.worker")
                .layer("Checkpoint").definedBy("dev.recsys.worker.checkpoint..")
                .layer("Model").definedBy("dev.recsys.worker.model..")
                .layer("Config").definedBy("dev.recsys.worker.config..")
                .whereLayer("Health").mayNotBeAccessedByAnyLayer()
                .whereLayer("Scoring").mayOnlyBeAccessedByLayers("Health")
                .whereLayer("Kafka").mayOnlyBeAccessedByLayers("Scoring", "Health")
                .whereLayer("Shard").mayOnlyBeAccessedByLayers("Kafka", "Scoring", "Health")
                .whereLayer("Wiring").mayOnlyBeAccessedByLayers("Shard", "Kafka", "Scoring", "Health")
                .whereLayer("Checkpoint").mayOnlyBeAccessedByLayers("Wiring", "Shard", "Kafka", "Scoring", "Health")
                .whereLayer("Model").mayOnlyBeAccessedByLayers("Checkpoint", "Wiring", "Shard", "Kafka", "Scoring",
                        "Health")
                .whereLayer("Config").mayOnlyBeAccessedByLayers("Model", "Checkpoint", "Wiring", "Shard", "Kafka",
                        "Scoring", "Health")
                .check(WORKER);
    }

    @Test
    void theWorkersSubpackagesHaveNoCycle() {
        slices().matching("dev.recsys.worker.(**)").should().beFreeOfCycles().check(WORKER);
    }
}

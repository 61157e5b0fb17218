package dev.recsys.worker;

import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import org.junit.jupiter.api.Test;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;

/**
 * Inside the worker, dependencies point one way: adapters (Kafka, health checks) → worker services (the model's
 * life, checkpoints) → ml-core. A service that reached back into an adapter (a checkpoint calling the
 * dead-letter producer, the scoring loop calling a health check) fails here.
 */
class LayeringTest {

    static final JavaClasses WORKER = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS).importPackages("dev.recsys.worker");

    @Test
    void adaptersDependOnServicesNeverTheOtherWay() {
        layeredArchitecture().consideringOnlyDependenciesInLayers()
                .layer("Health").definedBy("dev.recsys.worker.health..")
                .layer("Kafka").definedBy("dev.recsys.worker.kafka..")
                .layer("Services").definedBy("dev.recsys.worker", "dev.recsys.worker.checkpoint..")
                .whereLayer("Health").mayNotBeAccessedByAnyLayer()
                .whereLayer("Kafka").mayOnlyBeAccessedByLayers("Health")
                .whereLayer("Services").mayOnlyBeAccessedByLayers("Kafka", "Health")
                .check(WORKER);
    }

    @Test
    void theWorkersSubpackagesHaveNoCycle() {
        slices().matching("dev.recsys.worker.(*)..").should().beFreeOfCycles().check(WORKER);
    }
}

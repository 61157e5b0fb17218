package dev.recsys.core;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import org.junit.jupiter.api.Test;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;

/**
 * ml-core points one way: the checkpoint codec → the Transformer (sasrec) → the recommender that composes
 * scorers → the item tables (neighbours) → the domain (histories, scorers' contract, catalogue). The stream
 * measures (quality) stand apart. And it stays plain Java: no Quarkus, Kafka, CDI or metrics types.
 */
class LayeringTest {

    static final JavaClasses CORE = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS).importPackages("dev.recsys.core");

    @Test
    void packagesPointOneWay() {
        layeredArchitecture().consideringOnlyDependenciesInLayers()
                .layer("Checkpoint").definedBy("dev.recsys.core.checkpoint..")
                .layer("Model").definedBy("dev.recsys.core.sasrec..")
                .layer("Recommender").definedBy("dev.recsys.core.recommender..")
                .layer("Tables").definedBy("dev.recsys.core.neighbours..")
                .layer("Quality").definedBy("dev.recsys.core.quality..")
                .layer("Domain").definedBy("dev.recsys.core")
                .whereLayer("Checkpoint").mayNotBeAccessedByAnyLayer()
                .whereLayer("Model").mayOnlyBeAccessedByLayers("Checkpoint")
                .whereLayer("Recommender").mayOnlyBeAccessedByLayers("Model", "Checkpoint")
                .whereLayer("Tables").mayOnlyBeAccessedByLayers("Recommender", "Model", "Checkpoint")
                .whereLayer("Quality").mayNotBeAccessedByAnyLayer()
                .check(CORE);
    }

    @Test
    void noPackageCycle() {
        slices().matching("dev.recsys.core.(**)").should().beFreeOfCycles().check(CORE);
    }

    @Test
    void freeOfFrameworkTypes() {
        noClasses().should().dependOnClassesThat().resideInAnyPackage("io.quarkus..", "io.smallrye..",
                "org.apache.kafka..", "jakarta..", "javax.inject..", "io.micrometer..", "org.eclipse.microprofile..")
                .check(CORE);
    }
}

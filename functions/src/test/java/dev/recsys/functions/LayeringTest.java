package dev.recsys.functions;

import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import org.junit.jupiter.api.Test;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;

/**
 * The functions point one way: the SnapStart hooks → the functions (the HTTP surface) → access (API keys,
 * scopes, served calls) and the Kafka adapters → HTTP errors → configuration.
 */
class LayeringTest {

    static final JavaClasses FUNCTIONS = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS).importPackages("dev.recsys.functions");

    @Test
    void packagesPointOneWay() {
        layeredArchitecture().consideringOnlyDependenciesInLayers()
                .layer("SnapStart").definedBy("dev.recsys.functions.snapstart..")
                .layer("Functions").definedBy("dev.recsys.functions")
                .layer("Access").definedBy("dev.recsys.functions.access..")
                .layer("Kafka").definedBy("dev.recsys.functions.kafka..")
                .layer("Http").definedBy("dev.recsys.functions.http..")
                .layer("Config").definedBy("dev.recsys.functions.config..")
                .whereLayer("SnapStart").mayNotBeAccessedByAnyLayer()
                .whereLayer("Functions").mayOnlyBeAccessedByLayers("SnapStart")
                .whereLayer("Access").mayOnlyBeAccessedByLayers("Functions", "SnapStart")
                .whereLayer("Kafka").mayOnlyBeAccessedByLayers("Functions", "SnapStart")
                .whereLayer("Http").mayOnlyBeAccessedByLayers("Functions", "Access", "Kafka", "SnapStart")
                .check(FUNCTIONS);
    }

    @Test
    void noPackageCycle() {
        slices().matching("dev.recsys.functions.(**)").should().beFreeOfCycles().check(FUNCTIONS);
    }
}

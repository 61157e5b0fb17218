package dev.recsys.stack;

import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import org.junit.jupiter.api.Test;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;

/**
 * The local stack's tools point one way: benchmarks and the replay → the launcher → the importers → the
 * clients of a running stack's HTTP surfaces; the benchmarks and the replay never use each other.
 */
class LayeringTest {

    static final JavaClasses STACK = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS).importPackages("dev.recsys.stack");

    @Test
    void toolsOnTopOfTheLauncher() {
        layeredArchitecture().consideringOnlyDependenciesInLayers()
                .layer("Benchmarks").definedBy("dev.recsys.stack.bench..")
                .layer("Replay").definedBy("dev.recsys.stack.replay..")
                .layer("Launcher").definedBy("dev.recsys.stack")
                .layer("Importers").definedBy("dev.recsys.stack.importer..")
                .layer("Clients").definedBy("dev.recsys.stack.client..")
                .whereLayer("Benchmarks").mayNotBeAccessedByAnyLayer()
                .whereLayer("Replay").mayNotBeAccessedByAnyLayer()
                .whereLayer("Launcher").mayOnlyBeAccessedByLayers("Benchmarks", "Replay")
                .whereLayer("Importers").mayOnlyBeAccessedByLayers("Launcher", "Benchmarks", "Replay")
                .check(STACK);
    }

    @Test
    void noPackageCycle() {
        slices().matching("dev.recsys.stack.(**)").should().beFreeOfCycles().check(STACK);
    }
}

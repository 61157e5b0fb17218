package dev.recsys.eval;

import static com.tngtech.archunit.library.Architectures.layeredArchitecture;

import org.junit.jupiter.api.Test;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;

/** The benchmarks use the evaluation's data sets and protocols; the evaluation never needs a benchmark. */
class LayeringTest {

    static final JavaClasses EVAL = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS).importPackages("dev.recsys.eval");

    @Test
    void benchmarksOnTopOfTheEvaluation() {
        layeredArchitecture().consideringOnlyDependenciesInLayers()
                .layer("Benchmarks").definedBy("dev.recsys.eval.bench..")
                .layer("Evaluation").definedBy("dev.recsys.eval")
                .whereLayer("Benchmarks").mayNotBeAccessedByAnyLayer()
                .check(EVAL);
    }
}

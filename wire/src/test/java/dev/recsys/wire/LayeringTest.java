package dev.recsys.wire;

import static com.tngtech.archunit.library.Architectures.layeredArchitecture;

import org.junit.jupiter.api.Test;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;

/** The validators read the wire records; a record never reaches into a validator. */
class LayeringTest {

    static final JavaClasses WIRE = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS).importPackages("dev.recsys.wire");

    @Test
    void validationOnTopOfTheRecords() {
        layeredArchitecture().consideringOnlyDependenciesInLayers()
                .layer("Validation").definedBy("dev.recsys.wire.validation..")
                .layer("Records").definedBy("dev.recsys.wire")
                .whereLayer("Validation").mayNotBeAccessedByAnyLayer()
                .check(WIRE);
    }
}

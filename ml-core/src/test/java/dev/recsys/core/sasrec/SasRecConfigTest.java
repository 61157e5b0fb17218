package dev.recsys.core.sasrec;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class SasRecConfigTest {

    @Test
    void aRefusedConfigNamesTheFieldAndTheValueItGot() {
        IllegalArgumentException blocks = assertThrows(IllegalArgumentException.class,
                () -> new SasRecConfig(200, 64, 1, 0, 0.5f, 2e-3f, 32, 0, 42));
        assertEquals("invalid SASRec config: blocks is 0, must be at least 1", blocks.getMessage());

        IllegalArgumentException heads = assertThrows(IllegalArgumentException.class,
                () -> new SasRecConfig(200, 64, 3, 1, 0.5f, 2e-3f, 32, 0, 42));
        assertEquals("invalid SASRec config: heads is 3, must be at least 1 and a divisor of dim 64",
                heads.getMessage());

        IllegalArgumentException dropout = assertThrows(IllegalArgumentException.class,
                () -> new SasRecConfig(200, 64, 1, 1, 1f, 2e-3f, 32, 0, 42));
        assertEquals("invalid SASRec config: dropout is 1.0, must be in [0, 1)", dropout.getMessage());

        IllegalArgumentException lr = assertThrows(IllegalArgumentException.class,
                () -> new SasRecConfig(200, 64, 1, 1, 0.5f, Float.NaN, 32, 0, 42));
        assertEquals("invalid SASRec config: learningRate is NaN, must be above 0", lr.getMessage());
    }

    @Test
    void theEdgesOfEachRangeAreAccepted() {
        assertDoesNotThrow(() -> new SasRecConfig(2, 1, 1, 1, 0f, 1e-9f, 1, 0, 0));
        assertDoesNotThrow(() -> new SasRecConfig(200, 64, 64, 1, 0.99f, 1f, 1, 1, 0));
    }
}

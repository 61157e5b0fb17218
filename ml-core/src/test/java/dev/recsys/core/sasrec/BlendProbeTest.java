package dev.recsys.core.sasrec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import dev.recsys.core.ItemVocabulary;

class BlendProbeTest {

    /** No time between samples: only the fit decides. */
    static final int UNLIMITED = 1_000_000_000;

    @Test
    void eventsTheModelWasFittedOnAreNoEvidenceForTheGate() {
        try (ServingModel serving = new ServingModel();
                BlendProbe probe = new BlendProbe(new BlendGate(0.5, 0.01), serving, new ItemVocabulary(),
                        ScoringBackend.PYTORCH, UNLIMITED, 1_000)) {
            assertFalse(probe.wantsSample(999));
            assertFalse(probe.wantsSample(1_000));
            assertEquals(2, probe.inSampleSkipped());
            assertTrue(probe.wantsSample(1_001));
            assertEquals(2, probe.inSampleSkipped());
        }
    }

    @Test
    void aModelWithoutAKnownFitTakesEveryEventAsEvidence() {
        try (ServingModel serving = new ServingModel();
                BlendProbe probe = new BlendProbe(new BlendGate(0.5, 0.01), serving, new ItemVocabulary(),
                        ScoringBackend.PYTORCH, UNLIMITED)) {
            assertTrue(probe.wantsSample(0));
            assertTrue(probe.wantsSample(Long.MIN_VALUE + 1));
            assertEquals(0, probe.inSampleSkipped());
        }
    }
}

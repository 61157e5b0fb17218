package dev.recsys.worker.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The labels refusals are counted under come from a closed set, whatever field name a client made up. */
class DeadLetterLabelsTest {

    @Test
    void aFieldOfTheSchemasKeepsItsNameAndAnythingElseIsUnknown() {
        assertEquals("itemId", DeadLetters.label("itemId"));
        assertEquals("categories", DeadLetters.label("categories[3]"), "an element counts as its list");
        assertEquals("key", DeadLetters.label("key"));
        assertEquals("body", DeadLetters.label("body"));
        assertEquals("header REPLY_TOPIC", DeadLetters.label("header REPLY_TOPIC"));
        assertEquals("unknown", DeadLetters.label("f12345"), "a made-up field name");
        assertEquals("unknown", DeadLetters.label("itemId[x]"));
        assertEquals("unknown", DeadLetters.label("f\\u2028"));
        assertEquals("unknown", DeadLetters.label(null));
    }

    @Test
    void tenLinesAMinutePerKindThenACountOfTheRest() {
        DeadLetters.LogBudget budget = new DeadLetters.LogBudget();
        for (int i = 0; i < DeadLetters.LOGGED_PER_MINUTE; i++) {
            assertEquals(0, budget.take(60_000 + i));
        }
        assertEquals(-1, budget.take(60_500));
        assertEquals(-1, budget.take(60_900));
        assertEquals(2, budget.take(120_000), "the next minute's first line says how many were not logged");
        assertEquals(0, budget.take(120_001));
    }
}

package dev.recsys.core.recommender;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

import dev.recsys.core.FeedbackListener;
import dev.recsys.core.ItemFilter;
import dev.recsys.core.Recommendations;
import dev.recsys.core.ScoreQuery;
import dev.recsys.core.Scorer;

class ModelSlotTest {

    static Scorer answering(String version) {
        return queries -> queries.stream().map(q -> new Recommendations(List.of(), version, false)).toList();
    }

    @Test
    void answersFromTheFallbackUntilFilledThenFromTheModel() {
        ModelSlot slot = new ModelSlot(answering("table"));
        ScoreQuery query = new ScoreQuery("u", List.of(), ItemFilter.excluding(Set.of()), 5, null);
        List<String> told = new ArrayList<>();
        slot.positive("u", "a", 0);
        assertEquals("table", slot.score(List.of(query)).get(0).modelVersion());
        assertFalse(slot.wantsSample(0));
        assertTrue(slot.similar("a", ItemFilter.excluding(Set.of()), 5).isEmpty());

        slot.fill(new ModelSlot.Filling(answering("model"), (user, item, at) -> told.add(item), PredictionProbe.NONE));
        slot.positive("u", "b", 0);
        assertEquals("model", slot.score(List.of(query)).get(0).modelVersion());
        assertEquals(List.of("b"), told, "only events after the fill reach the model's listener");
        assertEquals(2, slot.positives());
        assertThrows(IllegalStateException.class, () -> slot.fill(new ModelSlot.Filling(answering("again"),
                FeedbackListener.NONE, PredictionProbe.NONE)));
    }
}

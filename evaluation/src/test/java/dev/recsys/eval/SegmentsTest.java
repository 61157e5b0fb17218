package dev.recsys.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;

import org.junit.jupiter.api.Test;

class SegmentsTest {

    @Test
    void eachEventGoesToItsHistoryLengthsSegment() {
        Segments s = new Segments(List.of("a", "b"));
        s.add(0, new double[] { 1, 0 });
        s.add(1, new double[] { 0.5, 0 });
        s.add(4, new double[] { 0, 1 });
        s.add(5, new double[] { 0, 0 });
        s.add(199, new double[] { 0.25, 0.75 });
        s.add(200, new double[] { 0, 0.5 });
        s.add(5_000, new double[] { 1, 0.5 });

        assertEquals(1, s.events("0"));
        assertEquals(2, s.events("1-4"));
        assertEquals(1, s.events("5-19"));
        assertEquals(0, s.events("20-49"));
        assertEquals(1, s.events("50-199"));
        assertEquals(2, s.events("200+"));
        assertEquals(0.25, s.ndcg("1-4", 0), 1e-12);
        assertEquals(0.5, s.ndcg("1-4", 1), 1e-12);
        assertEquals(0.5, s.ndcg("200+", 0), 1e-12);
        assertEquals(0.5, s.ndcg("200+", 1), 1e-12);
        assertEquals(0, s.ndcg("20-49", 0), 0, "an empty segment reads 0, not NaN");
    }

    @Test
    void refusesAnUnknownSegment() {
        assertThrows(IllegalArgumentException.class, () -> new Segments(List.of("a")).events("3-7"));
    }
}

package dev.recsys.functions.access;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import java.util.Set;

import org.junit.jupiter.api.Test;

class ServedCallsTest {

    @Test
    void noneNamedMeansEveryCallWithTheScoringChannel() {
        assertEquals(Scope.calls(), ServedCalls.served(Optional.empty(), true));
        assertEquals(7, Scope.calls().size());
    }

    @Test
    void theScoringChannelMustMatchTheCalls() {
        assertEquals(Set.of("ingest"), ServedCalls.served(Optional.of(Set.of("ingest")), false));
        assertEquals(Set.of("rerank"), ServedCalls.served(Optional.of(Set.of("rerank")), true));
        var on = assertThrows(IllegalArgumentException.class,
                () -> ServedCalls.served(Optional.of(Set.of("ingest", "items")), true));
        assertTrue(on.getMessage().contains("set functions.scoring-channel=false"), on.getMessage());
        var off = assertThrows(IllegalArgumentException.class,
                () -> ServedCalls.served(Optional.of(Set.of("ingest", "similar-items")), false));
        assertTrue(off.getMessage().contains("set functions.scoring-channel=true"), off.getMessage());
        assertThrows(IllegalArgumentException.class, () -> ServedCalls.served(Optional.empty(), false));
    }

    @Test
    void anUnknownCallIsRefusedByName() {
        var e = assertThrows(IllegalArgumentException.class,
                () -> ServedCalls.served(Optional.of(Set.of("ingest", "recomend")), false));
        assertTrue(e.getMessage().contains("unknown call 'recomend'"), e.getMessage());
    }
}

package dev.recsys.core;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Histories that hold items as shared numbers behave exactly as the plain sets and queue they replace, and
 * the numbering holds exactly the ids some history still holds: none is lost while held, none kept after.
 */
class HistoryNumberingProperties {

    private static final int MAX_LENGTH = 6;
    private static final int MAX_SEEN = 5;

    /** kind: 0 append, 1 reject, 2 see, 3 forget the user. */
    record Op(String user, String item, int kind) {
    }

    @Provide
    Arbitrary<List<Op>> ops() {
        Arbitrary<String> users = Arbitraries.of("u1", "u2", "u3");
        Arbitrary<String> items = Arbitraries.strings().withCharRange('a', 'h').ofLength(1);
        Arbitrary<Integer> kinds = Arbitraries.integers().between(0, 9).map(k -> k < 5 ? 0 : k < 7 ? 1 : k < 9 ? 2 : 3);
        return Combinators.combine(users, items, kinds).as(Op::new).list().ofMaxSize(200);
    }

    @Property(tries = 300)
    void numberedHistoriesMatchThePlainOnesAndHoldOnlyLiveIds(@ForAll("ops") List<Op> ops) {
        UserHistories histories = new UserHistories(MAX_LENGTH, MAX_SEEN);
        Map<String, Plain> plain = new HashMap<>();
        for (Op op : ops) {
            if (op.kind() == 3) {
                histories.remove(op.user());
                plain.remove(op.user());
            } else {
                UserHistory h = histories.of(op.user());
                Plain p = plain.computeIfAbsent(op.user(), u -> new Plain());
                switch (op.kind()) {
                    case 0 -> { h.append(op.item()); p.append(op.item()); }
                    case 1 -> { h.reject(op.item()); p.reject(op.item()); }
                    default -> { h.see(op.item()); p.see(op.item()); }
                }
            }
            Set<String> live = new HashSet<>();
            for (var e : plain.entrySet()) {
                UserHistory.Image image = histories.state().get(e.getKey());
                assertEquals(List.copyOf(e.getValue().sequence), image.sequence());
                assertEquals(List.copyOf(e.getValue().seen), image.seen());
                assertEquals(List.copyOf(e.getValue().rejected), image.rejected());
                assertEquals(e.getValue().events, image.events());
                live.addAll(e.getValue().sequence);
                live.addAll(e.getValue().seen);
                live.addAll(e.getValue().rejected);
            }
            assertEquals(live.size(), histories.distinctItems());
        }
        histories.restore(Map.of());
        assertEquals(0, histories.distinctItems(), "a full restore gives every number back");
    }

    /** The representation the numbered history replaced. */
    private static final class Plain {
        final ArrayDeque<String> sequence = new ArrayDeque<>();
        final LinkedHashSet<String> seen = new LinkedHashSet<>();
        final LinkedHashSet<String> rejected = new LinkedHashSet<>();
        long events;

        void append(String item) {
            events++;
            sequence.addLast(item);
            if (sequence.size() > MAX_LENGTH) {
                sequence.removeFirst();
            }
            rejected.remove(item);
            remember(seen, item);
        }

        void reject(String item) {
            events++;
            remember(rejected, item);
            remember(seen, item);
        }

        void see(String item) {
            events++;
            remember(seen, item);
        }

        private static void remember(LinkedHashSet<String> set, String item) {
            set.remove(item);
            set.add(item);
            if (set.size() > MAX_SEEN) {
                set.remove(set.iterator().next());
            }
        }
    }
}

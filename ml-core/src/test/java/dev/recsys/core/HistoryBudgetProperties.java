package dev.recsys.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/**
 * Whatever events arrive, in whatever order and with ids of any length, the histories' byte count equals what
 * their contents cost and stays within the budgets (the total by at most one event's ids).
 */
class HistoryBudgetProperties {

    record Event(String user, String item, int kind) {
    }

    @Provide
    Arbitrary<List<Event>> events() {
        Arbitrary<String> users = Arbitraries.strings().withCharRange('a', 'c').ofMinLength(1).ofMaxLength(2);
        Arbitrary<String> items = Arbitraries.strings().withCharRange('a', 'z').ofMinLength(1).ofMaxLength(256);
        return Combinators.combine(users, items, Arbitraries.integers().between(0, 2)).as(Event::new)
                .list().ofMaxSize(300);
    }

    @Property(tries = 200)
    void bytesMatchTheContentsAndStayWithinBudget(@ForAll("events") List<Event> events,
            @ForAll @IntRange(min = 600, max = 20_000) int userBudget,
            @ForAll @IntRange(min = 2_000, max = 100_000) int totalBudget) {
        UserHistories histories = new UserHistories(20, 50, 1000, userBudget, totalBudget);
        for (Event e : events) {
            UserHistory h = histories.of(e.user());
            switch (e.kind()) {
                case 0 -> h.append(e.item());
                case 1 -> h.reject(e.item());
                default -> h.see(e.item());
            }
            long recount = 0;
            for (var entry : histories.state().entrySet()) {
                long user = cost(entry.getValue());
                var held = entry.getValue();
                assertTrue(user <= userBudget || held.seen().isEmpty() && held.rejected().isEmpty()
                        && held.sequence().size() == 1, "a history past its budget holds only its newest item");
                recount += user + IdBytes.of(entry.getKey());
            }
            assertEquals(recount, histories.bytes());
            // One event adds at most three entries of one id (sequence, seen, the rejected list stays apart).
            assertTrue(histories.bytes() <= totalBudget + 2 * IdBytes.of(e.item()) + IdBytes.of(e.user())
                    || histories.users() == 1);
        }
    }

    private static long cost(UserHistory.Image s) {
        long b = 0;
        for (String i : s.sequence()) {
            b += IdBytes.of(i);
        }
        for (String i : s.seen()) {
            b += IdBytes.of(i);
        }
        for (String i : s.rejected()) {
            b += IdBytes.of(i);
        }
        return b;
    }
}

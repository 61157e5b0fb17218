package dev.recsys.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

import dev.recsys.wire.ItemUpdate;

class ItemCatalogueTest {

    final ItemCatalogue catalogue = new ItemCatalogue();

    @Test
    void anUpdateReplacesEverythingKnownAboutTheItem() {
        catalogue.apply(new ItemUpdate("m1", List.of("drama", "war"), true, 10));
        assertTrue(catalogue.hidden("m1"));
        assertEquals(Set.of("m1"), catalogue.itemsIn("war"));

        catalogue.apply(new ItemUpdate("m1", List.of("comedy"), false, 20));
        assertFalse(catalogue.hidden("m1"));
        assertEquals(Set.of(), catalogue.itemsIn("war"));
        assertEquals(Set.of(), catalogue.itemsIn("drama"));
        assertEquals(Set.of("m1"), catalogue.itemsIn("comedy"));
        assertTrue(catalogue.inAny("m1", Set.of("comedy", "horror")));
        assertFalse(catalogue.inAny("m1", Set.of("drama")));
        assertEquals(1, catalogue.size());
    }

    @Test
    void updatesApplyInArrivalOrderAsCompactionWouldKeepThem() {
        catalogue.apply(new ItemUpdate("m1", List.of("drama"), true, 20));
        catalogue.apply(new ItemUpdate("m1", List.of("comedy"), false, 10));
        assertFalse(catalogue.hidden("m1"));
        assertEquals(Set.of("m1"), catalogue.itemsIn("comedy"));
        assertEquals(10, catalogue.get("m1").orElseThrow().timestamp());
    }

    @Test
    void anItemOutsideTheCatalogueIsInNoCategoryAndNotHidden() {
        assertFalse(catalogue.inAny("nope", Set.of("drama")));
        assertFalse(catalogue.hidden("nope"));
        assertTrue(catalogue.get("nope").isEmpty());
    }

    @Test
    void rowMasksAgreeWithTheItemByItemDecision() {
        ItemVocabulary vocab = ItemVocabulary.of(List.of("a", "b", "c", "d", "e"));
        catalogue.apply(new ItemUpdate("a", List.of("x"), false, 1));
        catalogue.apply(new ItemUpdate("b", List.of("x", "y"), true, 1));
        catalogue.apply(new ItemUpdate("c", List.of("y"), false, 1));
        catalogue.apply(new ItemUpdate("e", List.of(), true, 1));
        catalogue.apply(new ItemUpdate("not-in-vocabulary", List.of("x"), false, 1));
        for (ItemFilter f : List.of(new ItemFilter(catalogue, Set.of(), Set.of()),
                new ItemFilter(catalogue, Set.of("x"), Set.of()),
                new ItemFilter(catalogue, Set.of("y"), Set.of("c")),
                new ItemFilter(catalogue, Set.of("x", "y"), Set.of("unknown")))) {
            boolean[] rows = f.allowedRows(vocab, vocab.rows());
            assertFalse(rows[0], "padding is never allowed");
            for (String item : vocab.items()) {
                assertEquals(f.allows(item), rows[vocab.row(item)], item + " under " + f.categories());
            }
        }
        assertEquals(List.of("a", "c", "d"), vocab.items().stream()
                .filter(new ItemFilter(catalogue, Set.of(), Set.of())::allows).toList());
        assertEquals(List.of("a"), vocab.items().stream()
                .filter(new ItemFilter(catalogue, Set.of("x"), Set.of())::allows).toList());
    }

    @Test
    void reCategorisingInALoopKeepsTheIndexToLiveCategoriesAndTheBytesToTheEntries() {
        for (int i = 0; i < 10_000; i++) {
            catalogue.apply(new ItemUpdate("m1", List.of("c" + i, "shared"), false, i));
        }
        catalogue.apply(new ItemUpdate("m2", List.of("shared"), false, 0));
        assertEquals(2, catalogue.categories(), "only c9999 and shared hold items");
        assertEquals(Set.of("m1", "m2"), catalogue.itemsIn("shared"));
        long expected = ItemCatalogue.cost(catalogue.get("m1").orElseThrow())
                + ItemCatalogue.cost(catalogue.get("m2").orElseThrow());
        assertEquals(expected, catalogue.bytes());
        ItemUpdate bigger = new ItemUpdate("m2", List.of("shared", "x".repeat(100)), true, 1);
        assertEquals(IdBytes.of("x".repeat(100)) + IdBytes.ENTRY, catalogue.growth(bigger));
        catalogue.apply(new ItemUpdate("m1", List.of(), true, 10_001));
        assertEquals(1, catalogue.categories());
    }
}

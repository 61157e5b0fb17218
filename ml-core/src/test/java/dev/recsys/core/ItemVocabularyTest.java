package dev.recsys.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

class ItemVocabularyTest {

    @Test
    void growingKeepsEveryItemOnItsRow() {
        ItemVocabulary v = new ItemVocabulary();
        List<String> items = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            items.add("i" + i);
            assertEquals(i + 1, v.add("i" + i));
        }
        assertEquals(5, v.add("i4"));
        assertEquals(1001, v.rows());
        assertEquals(items, v.items());
        assertEquals("i999", v.itemId(1000));
        assertEquals(-1, v.row("unknown"));
        assertThrows(IndexOutOfBoundsException.class, () -> v.itemId(1001));
    }
}

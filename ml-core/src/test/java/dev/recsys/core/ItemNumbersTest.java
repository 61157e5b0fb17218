package dev.recsys.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class ItemNumbersTest {

    @Test
    void anIdKeepsItsNumberWhileHeldAndItsLastReleaseFreesIt() {
        ItemNumbers numbers = new ItemNumbers();
        int a = numbers.acquire("a");
        int b = numbers.acquire("b");
        assertNotEquals(a, b);
        assertEquals(a, numbers.acquire("a"));
        assertEquals(2, numbers.size());

        numbers.release(a);
        assertEquals("a", numbers.id(a), "still held once");
        numbers.release(a);
        assertEquals(1, numbers.size());

        int c = numbers.acquire("c");
        assertEquals(a, c, "a freed number is reused");
        assertEquals("c", numbers.id(c));
        assertEquals("b", numbers.id(b));
    }

    @Test
    void releasingANumberNobodyHoldsIsRefused() {
        ItemNumbers numbers = new ItemNumbers();
        int a = numbers.acquire("a");
        numbers.release(a);
        assertThrows(IllegalStateException.class, () -> numbers.release(a));
    }

    @Test
    void growsPastItsFirstArray() {
        ItemNumbers numbers = new ItemNumbers();
        for (int i = 0; i < 1_000; i++) {
            assertEquals(i, numbers.acquire("item-" + i));
        }
        assertEquals("item-999", numbers.id(999));
        assertEquals("item-0", numbers.id(0));
    }
}

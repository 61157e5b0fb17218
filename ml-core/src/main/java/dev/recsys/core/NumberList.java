package dev.recsys.core;

import java.util.Arrays;

/**
 * Item numbers in order, oldest first, in one int array grown by an eighth at a time, so its slack stays
 * small (these arrays are most of a user's heap): a user history's sequence, seen and rejected lists. They
 * hold at most a few thousand numbers, where a scan and a shift cost less than a hash set's nodes. Not
 * thread-safe; its history locks it.
 */
final class NumberList {

    private int[] numbers = new int[4];
    private int size;

    int size() {
        return size;
    }

    int get(int i) {
        return numbers[i];
    }

    void add(int number) {
        if (size == numbers.length) {
            numbers = Arrays.copyOf(numbers, size + (size >> 3) + 4);
        }
        numbers[size++] = number;
    }

    /** Where {@code number} is, or -1. */
    int indexOf(int number) {
        for (int i = 0; i < size; i++) {
            if (numbers[i] == number) {
                return i;
            }
        }
        return -1;
    }

    int removeAt(int i) {
        int gone = numbers[i];
        System.arraycopy(numbers, i + 1, numbers, i, size - i - 1);
        size--;
        return gone;
    }

    /** Empties the list and returns what it held, oldest first. */
    int[] drain() {
        int[] all = Arrays.copyOf(numbers, size);
        numbers = new int[0];
        size = 0;
        return all;
    }
}

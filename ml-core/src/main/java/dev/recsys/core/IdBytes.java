package dev.recsys.core;

/**
 * What one held id costs the heap, as the byte budgets count it: two bytes a UTF-16 character (the worst
 * case of a Java string's array) and {@link #ENTRY} for the string's and array's headers and the collection's
 * node that holds it. An estimate that errs high for Latin-1 ids, so budgets bound the heap from above.
 */
public final class IdBytes {

    /** String header (24) + array header (16) + a linked hash entry (about 24 with its reference). */
    public static final long ENTRY = 64;

    private IdBytes() {
    }

    public static long of(String id) {
        return ENTRY + 2L * id.length();
    }
}

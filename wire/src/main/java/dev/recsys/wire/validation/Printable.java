package dev.recsys.wire.validation;

/**
 * A client's string made safe to quote in a reason, a header or a log line: cut to a length, and every
 * character that could end a line, hide itself or break UTF-8 written as a {@code \\uXXXX} escape.
 */
public final class Printable {

    private Printable() {
    }

    /** {@code s}, at most {@code max} characters of it (then "..."), with {@link #unsafe} ones escaped. */
    public static String of(String s, int max) {
        String cut = s.length() > max ? s.substring(0, max) + "..." : s;
        StringBuilder out = new StringBuilder(cut.length());
        cut.codePoints().forEach(cp -> {
            if (unsafe(cp)) {
                out.append(String.format("\\u%04X", cp));
            } else {
                out.appendCodePoint(cp);
            }
        });
        return out.toString();
    }

    /**
     * Control and format characters, lone surrogates, the Unicode line and paragraph separators (U+2028,
     * U+2029: line breaks to JavaScript and many log viewers) and non-characters (U+FFFE, U+FDD0..U+FDEF,
     * ...: never text interchanged between programs).
     */
    public static boolean unsafe(int cp) {
        return switch (Character.getType(cp)) {
            case Character.CONTROL, Character.FORMAT, Character.SURROGATE, Character.LINE_SEPARATOR,
                    Character.PARAGRAPH_SEPARATOR -> true;
            default -> nonCharacter(cp);
        };
    }

    static boolean nonCharacter(int cp) {
        return cp >= 0xFDD0 && cp <= 0xFDEF || (cp & 0xFFFE) == 0xFFFE;
    }
}

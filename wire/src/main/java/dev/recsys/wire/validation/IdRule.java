package dev.recsys.wire.validation;

/**
 * What an identifier (user, item, event, category) may be, wherever it enters: non-blank, at most a
 * configured length, and printable. Control characters break logs and line-based tools; format characters
 * (bidi overrides, zero-width joiners and spaces, byte-order marks) make two ids that look equal differ;
 * a lone surrogate is not text at all and does not survive UTF-8; line and paragraph separators (U+2028,
 * U+2029) end lines in JavaScript and log viewers; non-characters are not text meant for interchange.
 */
public final class IdRule {

    private IdRule() {
    }

    /** Why {@code id} is not acceptable, or null when it is. */
    public static String problem(String id, int maxLength) {
        if (id.isEmpty() || id.isBlank()) {
            return "must not be blank";
        }
        if (id.length() > maxLength) {
            return "is " + id.length() + " characters long; the limit is " + maxLength;
        }
        for (int i = 0; i < id.length();) {
            int cp = id.codePointAt(i);
            switch (Character.getType(cp)) {
                case Character.CONTROL:
                    return "must not contain control characters (U+" + hex(cp) + " at " + i + ")";
                case Character.FORMAT:
                    return "must not contain invisible format characters such as bidi controls or zero-width "
                            + "characters (U+" + hex(cp) + " at " + i + ")";
                case Character.SURROGATE:
                    return "must be valid Unicode: a lone surrogate (U+" + hex(cp) + ") at " + i;
                case Character.LINE_SEPARATOR, Character.PARAGRAPH_SEPARATOR:
                    return "must not contain line or paragraph separators (U+" + hex(cp) + " at " + i + ")";
                default:
                    if (Printable.nonCharacter(cp)) {
                        return "must not contain Unicode non-characters (U+" + hex(cp) + " at " + i + ")";
                    }
                    break;
            }
            i += Character.charCount(cp);
        }
        return null;
    }

    private static String hex(int cp) {
        return String.format("%04X", cp);
    }
}

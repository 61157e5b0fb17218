package dev.recsys.stack.importer;

import java.io.BufferedReader;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Reads item metadata from CSV shaped like MovieLens {@code movies.csv} ({@code movieId,title,genres}, genres
 * separated by {@code |}): the item id is the column named movieId, itemId, item or id (else the first),
 * the categories the column named genres or categories (else the last), and an optional column named hidden
 * holds true or false. Fields may be quoted, with {@code ""} for a quote inside.
 */
public final class ItemsCsv {

    /** MovieLens writes this for a film without genres. */
    public static final String NO_GENRES = "(no genres listed)";

    public record Item(String itemId, List<String> categories, boolean hidden) {
    }

    private ItemsCsv() {
    }

    public static List<Item> read(BufferedReader in) throws IOException {
        List<List<String>> rows = records(in);
        if (rows.isEmpty()) {
            throw new IllegalArgumentException("the CSV is empty; expected a header such as movieId,title,genres");
        }
        List<String> header = rows.get(0).stream().map(h -> h.trim().toLowerCase(Locale.ROOT)).toList();
        int id = column(header, List.of("movieid", "itemid", "item", "id"), 0);
        int categories = column(header, List.of("genres", "categories"), header.size() - 1);
        int hidden = column(header, List.of("hidden"), -1);
        if (id == categories) {
            throw new IllegalArgumentException("the CSV needs an id column and a categories column; header: "
                    + rows.get(0));
        }
        List<Item> items = new ArrayList<>(rows.size() - 1);
        for (int r = 1; r < rows.size(); r++) {
            List<String> row = rows.get(r);
            if (row.size() == 1 && row.get(0).isBlank()) {
                continue;
            }
            if (row.size() != header.size()) {
                throw new IllegalArgumentException("line " + (r + 1) + " has " + row.size() + " fields; the header has "
                        + header.size());
            }
            Set<String> cats = new LinkedHashSet<>();
            for (String c : row.get(categories).split("\\|")) {
                if (!c.isBlank() && !c.equals(NO_GENRES)) {
                    cats.add(c.trim());
                }
            }
            boolean isHidden = hidden >= 0 && Boolean.parseBoolean(row.get(hidden).trim());
            items.add(new Item(row.get(id).trim(), List.copyOf(cats), isHidden));
        }
        return items;
    }

    private static int column(List<String> header, List<String> names, int otherwise) {
        for (String n : names) {
            int at = header.indexOf(n);
            if (at >= 0) {
                return at;
            }
        }
        return otherwise;
    }

    /** RFC 4180 records: quoted fields may hold commas, quotes (doubled) and line breaks. */
    public static List<List<String>> records(BufferedReader in) throws IOException {
        List<List<String>> rows = new ArrayList<>();
        List<String> row = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        boolean quoted = false;
        boolean any = false;
        for (int c = in.read(); c != -1; c = in.read()) {
            any = true;
            if (quoted) {
                if (c == '"') {
                    in.mark(1);
                    int next = in.read();
                    if (next == '"') {
                        field.append('"');
                    } else {
                        quoted = false;
                        if (next == -1) {
                            break;
                        }
                        c = next;
                    }
                } else {
                    field.append((char) c);
                    continue;
                }
                if (quoted) {
                    continue;
                }
            }
            if (c == '"' && field.isEmpty()) {
                quoted = true;
            } else if (c == ',') {
                row.add(field.toString());
                field.setLength(0);
            } else if (c == '\n') {
                row.add(stripCr(field));
                field.setLength(0);
                rows.add(row);
                row = new ArrayList<>();
                any = false;
            } else {
                field.append((char) c);
            }
        }
        if (any || !field.isEmpty() || !row.isEmpty()) {
            row.add(stripCr(field));
            rows.add(row);
        }
        return rows;
    }

    private static String stripCr(StringBuilder field) {
        int n = field.length();
        return n > 0 && field.charAt(n - 1) == '\r' ? field.substring(0, n - 1) : field.toString();
    }
}

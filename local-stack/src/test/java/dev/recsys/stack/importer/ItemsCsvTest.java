package dev.recsys.stack.importer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.BufferedReader;
import java.io.StringReader;
import java.util.List;

import org.junit.jupiter.api.Test;

class ItemsCsvTest {

    static List<ItemsCsv.Item> read(String csv) throws Exception {
        return ItemsCsv.read(new BufferedReader(new StringReader(csv)));
    }

    @Test
    void readsMovieLensMoviesWithQuotedTitlesAndNoGenres() throws Exception {
        List<ItemsCsv.Item> items = read("movieId,title,genres\r\n"
                + "1,Toy Story (1995),Adventure|Animation|Children\r\n"
                + "11,\"American President, The (1995)\",Comedy|Drama|Romance\r\n"
                + "2,\"Say \"\"Hi\"\", Bob\",(no genres listed)\r\n");
        assertEquals(List.of(
                new ItemsCsv.Item("1", List.of("Adventure", "Animation", "Children"), false),
                new ItemsCsv.Item("11", List.of("Comedy", "Drama", "Romance"), false),
                new ItemsCsv.Item("2", List.of(), false)), items);
    }

    @Test
    void findsColumnsByNameAndReadsHidden() throws Exception {
        assertEquals(List.of(new ItemsCsv.Item("sku-9", List.of("shoes"), true)),
                read("hidden,categories,itemId\ntrue,shoes,sku-9"));
    }

    @Test
    void aRowOfTheWrongWidthIsAnErrorNamingItsLine() {
        var e = assertThrows(IllegalArgumentException.class, () -> read("movieId,title,genres\n1,a,b\n2,b\n"));
        assertEquals("line 3 has 2 fields; the header has 3", e.getMessage());
    }
}

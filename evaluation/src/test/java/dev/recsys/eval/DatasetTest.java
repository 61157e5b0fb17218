package dev.recsys.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DatasetTest {

    @TempDir
    Path dir;

    @Test
    void csvIsOrderedByTimestampWithFileOrderBreakingTies() throws Exception {
        Path f = dir.resolve("r.csv");
        Files.writeString(f, """
                userId,movieId,rating,timestamp
                1,10,4.0,300
                1,11,5.0,100
                1,12,1.0,100
                2,10,3.0,5
                2,13,4.0,6
                """);
        Dataset d = Dataset.read(f, 1, Double.NaN);
        String[] u1 = itemIds(d, "1");
        assertArrayEquals(new String[] { "11", "12", "10" }, u1);
        Dataset rated = Dataset.read(f, 1, 3.5);
        assertArrayEquals(new String[] { "11", "10" }, itemIds(rated, "1"));
        assertEquals(List.of("2"), List.copyOf(Dataset.read(f, 1, 3.5).sequences.keySet()).subList(1, 2));
        assertEquals(1, Dataset.read(f, 3, Double.NaN).sequences.size());
    }

    @Test
    void plainTextKeepsLineOrder() throws Exception {
        Path f = dir.resolve("seq.txt");
        Files.writeString(f, "1 5\n1 3\n2 5\n1 9\n");
        Dataset d = Dataset.read(f, 1, Double.NaN);
        assertArrayEquals(new String[] { "5", "3", "9" }, itemIds(d, "1"));
        LeaveOneOut split = new LeaveOneOut(d.sequences.values());
        assertEquals(1, split.test.size());
        assertEquals(d.items.row("9"), split.test.targets.get(0));
        assertEquals(d.items.row("3"), split.validation.targets.get(0));
        assertArrayEquals(new int[] { d.items.row("5") }, split.train.get(0));
        assertArrayEquals(new int[] { d.items.row("5"), d.items.row("3") }, split.trainAndValidation.get(0));
    }

    static String[] itemIds(Dataset d, String user) {
        return java.util.Arrays.stream(d.sequences.get(user)).mapToObj(d.items::itemId).toArray(String[]::new);
    }
}

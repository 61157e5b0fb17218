package dev.recsys.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/**
 * docs/architecture.md stays true to the code: every class it names in backticks exists in some module
 * code, and every class its two walks (a feedback event, a score request) name appears exactly once in its
 * glossary, so that a reader meets each name once with its meaning.
 */
class ArchitectureDocTest {

    /** A backticked class name, optionally followed by a member: {@code Recommender.apply}, {@code WorkerModel.State}. */
    private static final Pattern CLASS = Pattern.compile("`([A-Z][a-z][A-Za-z0-9]*)(?:\\.[A-Za-z][A-Za-z0-9]*(?:\\(\\))?)*`");
    /** Library classes the page names on purpose. */
    private static final Set<String> LIBRARY = Set.of("KafkaRequestReply");

    @Test
    void everyNamedClassExistsAndEveryClassOfTheWalksIsInTheGlossaryOnce() throws IOException {
        Path root = Path.of("").toAbsolutePath().getParent();
        String page = Files.readString(root.resolve("docs/architecture.md"));
        Set<String> sources = sourceClasses(root);

        Set<String> missing = new TreeSet<>(classesIn(page));
        missing.removeAll(sources);
        missing.removeAll(LIBRARY);
        assertEquals(Set.of(), missing, "classes docs/architecture.md names that no module has");

        String glossary = section(page, "## Glossary");
        String walks = section(page, "## A feedback event") + section(page, "## A score request");
        Map<String, Long> inGlossary = CLASS.matcher(glossary).results().map(m -> m.group(1))
                .collect(Collectors.groupingBy(Function.identity(), TreeMap::new, Collectors.counting()));
        Set<String> walked = classesIn(walks);
        walked.removeAll(LIBRARY);
        assertTrue(walked.size() > 30, "the walks name classes: " + walked);
        Map<String, Long> notOnce = new TreeMap<>();
        for (String c : walked) {
            long n = inGlossary.getOrDefault(c, 0L);
            if (n != 1) {
                notOnce.put(c, n);
            }
        }
        assertEquals(Map.of(), notOnce, "classes of the walks and how often the glossary names them (want 1)");
    }

    private static Set<String> classesIn(String text) {
        Set<String> out = new TreeSet<>();
        Matcher m = CLASS.matcher(text);
        while (m.find()) {
            out.add(m.group(1));
        }
        return out;
    }

    /** From {@code heading} to the next heading of the same level. */
    private static String section(String page, String heading) {
        int start = page.indexOf("\n" + heading + "\n");
        assertTrue(start >= 0, "docs/architecture.md has " + heading);
        int end = page.indexOf("\n## ", start + heading.length() + 2);
        return page.substring(start, end < 0 ? page.length() : end);
    }

    private static Set<String> sourceClasses(Path root) throws IOException {
        try (Stream<Path> files = Files.walk(root, 12)) {
            return files.filter(p -> (p.toString().contains("/src/main/java/") || p.toString().contains("/src/test/java/")) && p.toString().endsWith(".java"))
                    .map(p -> p.getFileName().toString().replace(".java", ""))
                    .collect(Collectors.toCollection(TreeSet::new));
        }
    }

    @Test
    void theClassPatternReadsMembersAndNestedTypes() {
        assertEquals(List.of("Recommender", "WorkerModel", "ForgottenUsers"), CLASS.matcher(
                "`Recommender.apply` and `WorkerModel.State`, `ForgottenUsers.requests()`, not `worker.mode` or `JSON`")
                .results().map(m -> m.group(1)).toList());
    }
}

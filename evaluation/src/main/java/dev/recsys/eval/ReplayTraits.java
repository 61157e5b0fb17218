package dev.recsys.eval;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.recsys.core.ItemVocabulary;
import dev.recsys.core.quality.ItemTraits;

/**
 * The replays' ruler for diversity, the same for every variant: genres from the MovieLens {@code movies.csv}
 * beside the ratings (none when there is no such file), vectors from the warm-started model's item
 * embeddings (none for items it has no row for, or without a model).
 */
public final class ReplayTraits implements ItemTraits {

    private final Map<String, Set<String>> genres;
    private final ItemVocabulary vocabulary;
    private final float[] embeddings;
    private final int dim;

    private ReplayTraits(Map<String, Set<String>> genres, ItemVocabulary vocabulary, float[] embeddings, int dim) {
        this.genres = genres;
        this.vocabulary = vocabulary;
        this.embeddings = embeddings;
        this.dim = dim;
    }

    /**
     * @param ratings    the ratings file; its folder's movies.csv gives the genres
     * @param vocabulary the model's item rows, or null without a model
     * @param embeddings the model's item embeddings, row after row ({@code dim} each), or null
     */
    public static ReplayTraits of(Path ratings, ItemVocabulary vocabulary, float[] embeddings, int dim)
            throws IOException {
        Path movies = ratings.toAbsolutePath().getParent().resolve("movies.csv");
        return new ReplayTraits(Files.exists(movies) ? genres(movies) : Map.of(), vocabulary, embeddings, dim);
    }

    /** MovieLens movies.csv: id first, pipe-separated genres last (titles may hold quoted commas). */
    static Map<String, Set<String>> genres(Path movies) throws IOException {
        Map<String, Set<String>> out = new HashMap<>();
        List<String> lines = Files.readAllLines(movies, StandardCharsets.UTF_8);
        for (String line : lines.subList(Math.min(1, lines.size()), lines.size())) {
            int first = line.indexOf(',');
            if (first < 0) {
                continue;
            }
            Set<String> g = new HashSet<>(List.of(line.substring(line.lastIndexOf(',') + 1).split("\\|")));
            g.remove("(no genres listed)");
            out.put(line.substring(0, first), Set.copyOf(g));
        }
        return out;
    }

    @Override
    public Set<String> genres(String item) {
        return genres.get(item);
    }

    @Override
    public float[] vector(String item) {
        if (embeddings == null) {
            return null;
        }
        int row = vocabulary.row(item);
        if (row <= 0 || (row + 1) * dim > embeddings.length) {
            return null;
        }
        return java.util.Arrays.copyOfRange(embeddings, row * dim, (row + 1) * dim);
    }
}

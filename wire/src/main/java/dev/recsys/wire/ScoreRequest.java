package dev.recsys.wire;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * A question for the worker, sent on {@code score-requests}. What it asks is in {@link #kind()}; the filters
 * (categories, excluded ids, the user's seen items) apply to every kind that returns a ranking of the catalogue.
 *
 * @param kind         what is asked; null (a request from before kinds existed) reads as {@link Kind#USER}
 * @param userId       whose history the model reads (USER, RERANK)
 * @param items        the visitor's sequence, oldest first (SESSION), or the candidates to order (RERANK)
 * @param itemId       the item whose neighbours are wanted (SIMILAR)
 * @param k            how many items to return (not used by RERANK, which returns every candidate)
 * @param excludeSeen  leave out the user's seen items, or the session's own items
 * @param categories   return only items in at least one of these; empty: any category
 * @param excludeItems never return these
 * @param explain      each returned item carries the history items that led to it (USER, SESSION, RERANK)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ScoreRequest(Kind kind, String userId, List<String> items, String itemId, int k, boolean excludeSeen,
        List<String> categories, List<String> excludeItems,
        // Written only when true: a request without it reads the same to a worker that predates it.
        @JsonInclude(JsonInclude.Include.NON_DEFAULT) boolean explain) {

    public enum Kind {
        /** Top k for a known user, from the history the worker keeps. */
        USER,
        /** Top k for an anonymous visitor, from the sequence in the request; nothing is stored. */
        SESSION,
        /** The given candidates, best first for the user. */
        RERANK,
        /** The k items whose learned embeddings are closest to one item's. */
        SIMILAR
    }

    public ScoreRequest {
        kind = kind == null ? Kind.USER : kind;
        items = items == null ? List.of() : List.copyOf(items);
        categories = categories == null ? List.of() : List.copyOf(categories);
        excludeItems = excludeItems == null ? List.of() : List.copyOf(excludeItems);
    }

    public ScoreRequest(Kind kind, String userId, List<String> items, String itemId, int k, boolean excludeSeen,
            List<String> categories, List<String> excludeItems) {
        this(kind, userId, items, itemId, k, excludeSeen, categories, excludeItems, false);
    }

    /** The same request, asking for explanations. */
    public ScoreRequest explained() {
        return new ScoreRequest(kind, userId, items, itemId, k, excludeSeen, categories, excludeItems, true);
    }

    /** Top {@code k} for a user, with no filter beyond seen items. */
    public ScoreRequest(String userId, int k, boolean excludeSeen) {
        this(Kind.USER, userId, null, null, k, excludeSeen, null, null);
    }

    public static ScoreRequest forUser(String userId, int k, boolean excludeSeen, List<String> categories,
            List<String> excludeItems) {
        return new ScoreRequest(Kind.USER, userId, null, null, k, excludeSeen, categories, excludeItems);
    }

    public static ScoreRequest forSession(List<String> sequence, int k, boolean excludeSeen, List<String> categories,
            List<String> excludeItems) {
        return new ScoreRequest(Kind.SESSION, null, sequence, null, k, excludeSeen, categories, excludeItems);
    }

    public static ScoreRequest rerank(String userId, List<String> candidates) {
        return new ScoreRequest(Kind.RERANK, userId, candidates, null, candidates.size(), false, null, null);
    }

    public static ScoreRequest similarTo(String itemId, int k, List<String> categories, List<String> excludeItems) {
        return new ScoreRequest(Kind.SIMILAR, null, null, itemId, k, false, categories, excludeItems);
    }
}

package dev.recsys.core;

import java.util.Optional;

/** Items whose learned representations are closest to one item's. */
public interface SimilarItems {

    /**
     * The {@code k} nearest items the filter allows, the item itself never among them.
     *
     * @return empty when the model has no learned representation of the item (unknown, or too new)
     */
    Optional<Recommendations> similar(String itemId, ItemFilter filter, int k);
}

package dev.recsys.core.quality;

import java.util.Set;

/** What the diversity measures know of an item: its genres (categories) and its vector in the model. */
public interface ItemTraits {

    /** Nothing known: the diversity measures are then not defined (NaN). */
    ItemTraits NONE = new ItemTraits() {
        @Override
        public Set<String> genres(String item) {
            return null;
        }

        @Override
        public float[] vector(String item) {
            return null;
        }
    };

    /** The item's genres, or null when the item's genres are not known (an empty set is a known "none"). */
    Set<String> genres(String item);

    /** The item's vector, or null when there is none. */
    float[] vector(String item);
}

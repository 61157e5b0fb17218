package dev.recsys.store;

/** A blob's bytes with the entity tag a conditional write must name to replace it. */
public record StoredBlob(byte[] data, String etag) {

    /** Whether this blob is exactly these bytes: a refused conditional write of them had in fact landed. */
    public boolean holds(byte[] bytes) {
        return java.util.Arrays.equals(data, bytes);
    }
}

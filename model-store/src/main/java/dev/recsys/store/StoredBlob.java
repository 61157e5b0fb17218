package dev.recsys.store;

/** A blob's bytes with the entity tag a conditional write must name to replace it. */
public record StoredBlob(byte[] data, String etag) {
}

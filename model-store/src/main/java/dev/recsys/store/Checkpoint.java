package dev.recsys.store;

import java.util.Map;

/** A checkpoint read back, whole or the blobs a reader picked, every blob read checked against its manifest. */
public record Checkpoint(Manifest manifest, Map<String, byte[]> blobs) {

    public byte[] blob(String name) {
        byte[] data = blobs.get(name);
        if (data == null) {
            throw new IllegalArgumentException("checkpoint " + manifest.id() + " has no blob '" + name + "'; it has "
                    + blobs.keySet());
        }
        return data;
    }
}

package dev.recsys.tensorflow;

import java.nio.file.Path;

/**
 * Loads TensorFlow's native library from the Maven jar (tensorflow-core-native, linux-x86_64), unpacked by
 * JavaCPP into a cache folder the caller chooses (inside the build tree), or fails saying what is missing.
 * Nothing is downloaded.
 */
public final class TensorFlowEngine {

    private static volatile boolean loaded;

    private TensorFlowEngine() {
    }

    /** Must run before any TensorFlow class is touched; later calls change nothing. */
    public static synchronized void load(Path cacheDir) {
        if (loaded) {
            return;
        }
        if (System.getProperty("org.bytedeco.javacpp.cachedir") == null) {
            System.setProperty("org.bytedeco.javacpp.cachedir", cacheDir.toAbsolutePath().toString());
        }
        requireLoaded();
    }

    static void requireLoaded() {
        if (loaded) {
            return;
        }
        try {
            org.tensorflow.TensorFlow.version();
            loaded = true;
        } catch (RuntimeException | LinkageError e) {
            throw new IllegalStateException("cannot load TensorFlow's native library: the classpath needs "
                    + "org.tensorflow:tensorflow-core-native:1.1.0:linux-x86_64 and "
                    + System.getProperty("org.bytedeco.javacpp.cachedir", "~/.javacpp/cache")
                    + " must be writable; nothing is downloaded at run time", e);
        }
    }
}

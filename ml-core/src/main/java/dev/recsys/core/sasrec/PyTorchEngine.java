package dev.recsys.core.sasrec;

import java.nio.file.Path;

import ai.djl.engine.Engine;

/**
 * Loads DJL's PyTorch engine offline from the native library in the Maven jar, with its cache inside the
 * given folder, or fails with a message that says what is missing.
 */
public final class PyTorchEngine {

    private PyTorchEngine() {
    }

    /** Must run before anything touches DJL; later calls change nothing. */
    public static synchronized void load(Path cacheDir, int intraOpThreads) {
        System.setProperty("ai.djl.offline", "true");
        System.setProperty("DJL_CACHE_DIR", cacheDir.toAbsolutePath().toString());
        System.setProperty("ai.djl.pytorch.num_threads", String.valueOf(intraOpThreads));
        System.setProperty("ai.djl.pytorch.num_interop_threads", "1");
        try {
            Engine.getEngine("PyTorch");
        } catch (RuntimeException | UnsatisfiedLinkError e) {
            throw new IllegalStateException("cannot load the PyTorch engine offline: the classpath needs "
                    + "ai.djl.pytorch:pytorch-native-cpu:2.7.1:linux-x86_64 (or a CUDA build) and "
                    + "ai.djl.pytorch:pytorch-jni:2.7.1-0.36.0, and " + cacheDir + " must be writable; "
                    + "nothing is downloaded at run time", e);
        }
    }
}

package dev.recsys.core.sasrec;

import java.nio.file.Path;

import ai.djl.Device;
import ai.djl.engine.Engine;

/**
 * Loads DJL's PyTorch engine offline from the native library in the Maven jar, with its cache inside the
 * given folder, or fails with a message that says what is missing.
 */
public final class PyTorchEngine {

    private static final System.Logger LOG = System.getLogger(PyTorchEngine.class.getName());

    private PyTorchEngine() {
    }

    /** Loads the engine, leaving the device as it is (the CPU unless a device was selected). */
    public static synchronized void load(Path cacheDir, int intraOpThreads) {
        engine(cacheDir, intraOpThreads);
    }

    /**
     * Loads the engine (before anything touches DJL; later calls load nothing again) and selects the device
     * models are made on from then on.
     *
     * @throws IllegalStateException when the engine cannot load, or a GPU is asked for and none is visible
     */
    public static synchronized Device load(Path cacheDir, int intraOpThreads, ComputeDevice.Choice device) {
        Engine engine = engine(cacheDir, intraOpThreads);
        int gpus = engine.getGpuCount();
        Device selected = ComputeDevice.select(device, gpus);
        ComputeDevice.use(selected);
        LOG.log(System.Logger.Level.INFO, "PyTorch {0} on {1} (device {2}; GPUs visible: {3})", engine.getVersion(),
                selected, device.name().toLowerCase(java.util.Locale.ROOT), gpus);
        return selected;
    }

    private static Engine engine(Path cacheDir, int intraOpThreads) {
        System.setProperty("ai.djl.offline", "true");
        System.setProperty("DJL_CACHE_DIR", cacheDir.toAbsolutePath().toString());
        System.setProperty("ai.djl.pytorch.num_threads", String.valueOf(intraOpThreads));
        System.setProperty("ai.djl.pytorch.num_interop_threads", "1");
        try {
            return Engine.getEngine("PyTorch");
        } catch (RuntimeException | UnsatisfiedLinkError e) {
            throw new IllegalStateException("cannot load the PyTorch engine offline: the classpath needs a "
                    + "native build (ai.djl.pytorch:pytorch-native-cpu, or pytorch-native-cu124 with -Pcuda) and "
                    + "the pytorch-jni of the same version, and " + cacheDir + " must be writable; nothing is "
                    + "downloaded at run time", e);
        }
    }
}

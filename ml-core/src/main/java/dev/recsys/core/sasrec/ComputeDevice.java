package dev.recsys.core.sasrec;

import ai.djl.Device;

/**
 * Where the models' tensors live: chosen once at start ({@code worker.device}) and used by every model made
 * after, so that weights, optimizer state, inputs and outputs of a pass share one device and cross to the
 * host once per batch (inputs in, scores out).
 */
public final class ComputeDevice {

    /** {@code auto}: a GPU when the engine sees one, else the CPU; {@code gpu}: a GPU or refuse to start. */
    public enum Choice {
        AUTO, CPU, GPU
    }

    private static volatile Device current = Device.cpu();

    private ComputeDevice() {
    }

    /**
     * @param gpus how many GPUs the engine sees
     * @throws IllegalStateException for {@link Choice#GPU} when there is none, saying what to do
     */
    public static Device select(Choice choice, int gpus) {
        return switch (choice) {
            case CPU -> Device.cpu();
            case AUTO -> gpus > 0 ? Device.gpu(0) : Device.cpu();
            case GPU -> {
                if (gpus < 1) {
                    throw new IllegalStateException("worker.device=gpu but the PyTorch engine sees no GPU: this "
                            + "needs an NVIDIA GPU with its driver and the CUDA build (mvn -Pcuda package, which "
                            + "bundles pytorch-native-cu124); use worker.device=auto or cpu to run on the CPU");
                }
                yield Device.gpu(0);
            }
        };
    }

    /** The device models are made on now. */
    public static Device current() {
        return current;
    }

    /** Models made after this live on {@code device} (a benchmark comparing devices in one process sets it too). */
    public static void use(Device device) {
        current = device;
    }
}

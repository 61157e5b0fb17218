package dev.recsys.eval;

/**
 * The learning rate's factor by epoch while training offline: constant, or a linear warm-up followed by a
 * cosine decay to zero at the last epoch, so the weights settle instead of wandering at full step size.
 *
 * @param cosine        decay after the warm-up; false keeps the factor at one
 * @param warmupEpochs  epochs over which the factor rises linearly to one
 */
record LearningRateSchedule(boolean cosine, int warmupEpochs) {

    LearningRateSchedule {
        if (warmupEpochs < 0) {
            throw new IllegalArgumentException("--warmup-epochs must be >= 0: " + warmupEpochs);
        }
    }

    static LearningRateSchedule constant() {
        return new LearningRateSchedule(false, 0);
    }

    static LearningRateSchedule parse(String name, int warmupEpochs) {
        return switch (name) {
            case "constant" -> new LearningRateSchedule(false, warmupEpochs);
            case "cosine" -> new LearningRateSchedule(true, warmupEpochs);
            default -> throw new IllegalArgumentException("--lr-schedule must be constant or cosine: " + name);
        };
    }

    /** The factor for epoch {@code epoch} (1-based) of {@code epochs}. */
    float factor(int epoch, int epochs) {
        if (epoch <= warmupEpochs) {
            return (float) epoch / (warmupEpochs + 1);
        }
        if (!cosine) {
            return 1f;
        }
        // Epoch warmup + 1 runs at full rate; the last epoch at a small but non-zero rate.
        double progress = (double) (epoch - warmupEpochs - 1) / Math.max(1, epochs - warmupEpochs);
        return (float) (0.5 * (1 + Math.cos(Math.PI * progress)));
    }

    @Override
    public String toString() {
        return (cosine ? "cosine" : "constant") + ", warm-up " + warmupEpochs + " epochs";
    }
}

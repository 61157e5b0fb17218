package dev.recsys.core.sasrec;

import java.util.Map;

/**
 * Adam's state, the optimizer half of a checkpoint: the steps taken and, by parameter name, {first moment,
 * second moment}, each the parameter's size. Kept alive across online steps and restarts: fresh moments
 * wreck an online model.
 */
public record OptimizerState(long steps, Map<String, float[][]> moments) {
}

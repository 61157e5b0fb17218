package dev.recsys.core.sasrec;

import ai.djl.pytorch.jni.JniUtils;

/**
 * PyTorch records autograd history per thread, and a thread starts with recording on. Outside a gradient
 * collector we want it off on every thread that touches the model: scoring would build graphs it never
 * uses, and in-place optimizer updates on parameters would fail.
 */
final class GradMode {

    private GradMode() {
    }

    static void off() {
        if (JniUtils.isGradMode()) {
            JniUtils.setGradMode(false);
        }
    }
}

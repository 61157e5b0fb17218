package dev.recsys.eval.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The machine a benchmark ran on, in the words every benchmark table prints. */
public final class Machine {

    private Machine() {
    }

    /** The CPU's model name from /proc/cpuinfo, or "unknown CPU" off Linux. */
    public static String cpu() {
        try {
            return Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
                    .findFirst().map(l -> l.substring(l.indexOf(':') + 1).trim()).orElse("unknown CPU");
        } catch (IOException e) {
            return "unknown CPU";
        }
    }

    /** Cores, CPU, this JVM's heap bound and Java version. */
    public static String describe() {
        return Runtime.getRuntime().availableProcessors() + " cores (" + cpu() + "), "
                + Runtime.getRuntime().maxMemory() / (1 << 20) + " MiB max heap here, Java "
                + System.getProperty("java.version");
    }
}

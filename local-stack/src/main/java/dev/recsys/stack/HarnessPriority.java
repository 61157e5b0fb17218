package dev.recsys.stack;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Gives a benchmark's harness a lower CPU priority than the worker it measures. In the design the worker has a
 * machine of its own, the functions are serverless and the broker is a service; on one shared box the load
 * generator, functions and broker otherwise take the worker's cores. Measured on 2 cores with bin/replay: a
 * slow online step's wall time was 3-5 times its CPU time, with no lock wait and short GC pauses; with the
 * harness at nice 10 the trainer took 11,602 steps on ml-1m-prefix against 4,577
 * (docs/results/2026-12-07-harness-priority.md).
 * <p>
 * Linux only, through {@code /proc} and util-linux's {@code renice}: an unprivileged process may raise the nice
 * value of its own threads and of its children, never lower it, so the harness steps down rather than the
 * worker up. A thread started later inherits its starter's value. Where this cannot be done it says so once
 * and the run goes on at equal priority.
 */
public final class HarnessPriority {

    private final int nice;
    private volatile boolean warned;

    /** @param nice the harness's nice value, 0 (equal priority: nothing is changed) to 19 */
    public HarnessPriority(int nice) {
        if (nice < 0 || nice > 19) {
            throw new IllegalArgumentException("harness nice value must be 0 to 19, was " + nice);
        }
        this.nice = nice;
    }

    /** Every thread the process has now (threads it starts later inherit their starter's value). */
    public void lowerProcess(long pid) {
        if (nice == 0) {
            return;
        }
        List<String> tasks = new ArrayList<>();
        try (Stream<Path> s = Files.list(Path.of("/proc", Long.toString(pid), "task"))) {
            s.forEach(t -> tasks.add(t.getFileName().toString()));
        } catch (IOException e) {
            warn("cannot list the threads of process " + pid + ": " + e.getMessage());
            return;
        }
        renice(tasks);
    }

    /** The calling thread, and so every thread it starts from now on. */
    public void lowerCurrentThread() {
        if (nice == 0) {
            return;
        }
        try {
            // /proc/thread-self links to <pid>/task/<tid>: Java 17 has no call that gives the kernel's thread id.
            Path self = Files.readSymbolicLink(Path.of("/proc/thread-self"));
            renice(List.of(self.getFileName().toString()));
        } catch (IOException | UnsupportedOperationException e) {
            warn("cannot find this thread's id: " + e.getMessage());
        }
    }

    private void renice(List<String> tids) {
        if (tids.isEmpty()) {
            return;
        }
        List<String> cmd = new ArrayList<>(List.of("renice", "-n", Integer.toString(nice), "-p"));
        cmd.addAll(tids);
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            // renice exits at once; its output ends when it does, so reading it is the wait.
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (p.waitFor() != 0) {
                // A thread that ended between the listing and the call fails alone; the others are set.
                if (!out.contains("No such process")) {
                    warn("renice answered " + out.strip());
                }
            }
        } catch (IOException e) {
            warn("cannot run renice: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void warn(String why) {
        if (!warned) {
            warned = true;
            System.out.println("harness priority left as it is (" + why + "): the harness shares the worker's cores");
        }
    }
}

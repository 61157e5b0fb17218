package dev.recsys.stack;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Where a benchmark loop's CPU went, from Linux's /proc: cores used by each process of the stack, and by the
 * worker's busiest threads (named as the JVM names them). Says nothing where /proc is missing.
 */
public final class CpuUse {

    /** Clock ticks per second of /proc's counters (USER_HZ, 100 on Linux). */
    private static final double TICKS = 100;

    private final Map<String, Long> processes;
    private final long worker;
    private final long startNanos = System.nanoTime();
    private final Map<String, Long> processTicks;
    private final Map<String, Long> threadTicks;

    private CpuUse(Map<String, Long> processes, long worker) {
        this.processes = processes;
        this.worker = worker;
        this.processTicks = processTicks();
        this.threadTicks = threadTicks(worker);
    }

    /** Starts counting for the stack's processes and this one (the load generator). */
    public static CpuUse start(LocalStack stack) {
        Map<String, Long> pids = new LinkedHashMap<>();
        pids.put("broker", stack.brokerPid());
        pids.put("functions", stack.functionsPid());
        pids.put("worker", stack.workerPid());
        pids.put("load", ProcessHandle.current().pid());
        return new CpuUse(pids, stack.workerPid());
    }

    /** Cores used since the start, per process, and the worker's three busiest threads: one line. */
    public String since() {
        return since(3);
    }

    /** Cores used since the start, per process, and the worker's {@code top} busiest threads: one line. */
    public String since(int top) {
        double seconds = (System.nanoTime() - startNanos) / 1e9;
        Map<String, Long> now = processTicks();
        if (now.isEmpty()) {
            return "";
        }
        String byProcess = processes.keySet().stream()
                .map(p -> String.format("%s %.2f", p, (now.getOrDefault(p, 0L) - processTicks.getOrDefault(p, 0L)) / TICKS / seconds))
                .collect(Collectors.joining(", "));
        Map<String, Long> threads = threadTicks(worker);
        Map<String, Long> delta = new HashMap<>();
        threads.forEach((t, v) -> delta.merge(name(t), v - threadTicks.getOrDefault(t, 0L), Long::sum));
        String busiest = delta.entrySet().stream().sorted((a, b) -> Long.compare(b.getValue(), a.getValue())).limit(top)
                .map(e -> String.format("%s %.2f", e.getKey(), e.getValue() / TICKS / seconds))
                .collect(Collectors.joining(", "));
        return "cores: " + byProcess + "; worker threads: " + busiest;
    }

    private Map<String, Long> processTicks() {
        Map<String, Long> out = new HashMap<>();
        processes.forEach((name, pid) -> {
            long t = ticks(Path.of("/proc", Long.toString(pid), "stat"));
            if (t >= 0) {
                out.put(name, t);
            }
        });
        return out;
    }

    /** Per thread (id and name), its ticks; the id keeps threads of one name apart until they are summed. */
    private static Map<String, Long> threadTicks(long pid) {
        Map<String, Long> out = new HashMap<>();
        try (Stream<Path> tasks = Files.list(Path.of("/proc", Long.toString(pid), "task"))) {
            tasks.forEach(task -> {
                long t = ticks(task.resolve("stat"));
                if (t >= 0) {
                    out.put(task.getFileName() + "/" + comm(task), t);
                }
            });
        } catch (IOException | RuntimeException e) {
            // not Linux, or the process is gone: nothing to say
        }
        return out;
    }

    /** A thread's name without its number, so a pool's threads add up: "executor-thread-3" -> "executor-thread". */
    private static String name(String idAndName) {
        return idAndName.substring(idAndName.indexOf('/') + 1).replaceAll("[-#]?\\d+$", "");
    }

    private static String comm(Path task) {
        try {
            return Files.readString(task.resolve("comm")).strip();
        } catch (IOException e) {
            return "?";
        }
    }

    /** utime + stime of a /proc stat line; -1 when it cannot be read. */
    private static long ticks(Path stat) {
        try {
            String line = Files.readString(stat);
            String[] f = line.substring(line.lastIndexOf(')') + 2).split(" ");
            return Long.parseLong(f[11]) + Long.parseLong(f[12]);
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }
}

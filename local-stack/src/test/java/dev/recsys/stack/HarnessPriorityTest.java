package dev.recsys.stack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicIntegerArray;

import org.junit.jupiter.api.Test;

/** The harness really steps down: read back from the kernel, not from the class's own state. */
class HarnessPriorityTest {

    /** Field 19 of /proc/.../stat; fields are counted after the command name, which may hold spaces. */
    static int niceOf(Path stat) throws Exception {
        String s = Files.readString(stat);
        String[] fields = s.substring(s.lastIndexOf(')') + 2).split(" ");
        return Integer.parseInt(fields[19 - 3]);
    }

    static int niceOfThisThread() throws Exception {
        return niceOf(Path.of("/proc/thread-self/stat"));
    }

    @Test
    void refusesValuesOutsideZeroToNineteen() {
        assertThrows(IllegalArgumentException.class, () -> new HarnessPriority(-1));
        assertThrows(IllegalArgumentException.class, () -> new HarnessPriority(20));
    }

    @Test
    void lowersTheCallingThreadAndTheThreadsItStartsButNotItsStarter() throws Exception {
        assumeTrue(Files.exists(Path.of("/proc/thread-self/stat")), "Linux /proc only");
        int before = niceOfThisThread();
        assumeTrue(before < 19, "already at the lowest priority");
        int target = Math.min(19, before + 5);
        AtomicIntegerArray seen = new AtomicIntegerArray(new int[] {-100, -100});
        Thread lowered = new Thread(() -> {
            try {
                new HarnessPriority(target).lowerCurrentThread();
                seen.set(0, niceOfThisThread());
                Thread child = new Thread(() -> {
                    try {
                        seen.set(1, niceOfThisThread());
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                });
                child.start();
                child.join();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        lowered.start();
        lowered.join();
        assertEquals(target, seen.get(0), "the thread that asked");
        assertEquals(target, seen.get(1), "a thread it started afterwards");
        assertEquals(before, niceOfThisThread(), "the test's own thread is left as it was");
    }

    @Test
    void lowersEveryThreadOfAnotherProcess() throws Exception {
        assumeTrue(Files.exists(Path.of("/proc/self/task")), "Linux /proc only");
        Process child = new ProcessBuilder("sleep", "60").start();
        try {
            int before = niceOf(Path.of("/proc", Long.toString(child.pid()), "stat"));
            assumeTrue(before < 19, "already at the lowest priority");
            int target = Math.min(19, before + 3);
            new HarnessPriority(target).lowerProcess(child.pid());
            assertEquals(target, niceOf(Path.of("/proc", Long.toString(child.pid()), "stat")));
        } finally {
            child.destroy();
        }
    }
}

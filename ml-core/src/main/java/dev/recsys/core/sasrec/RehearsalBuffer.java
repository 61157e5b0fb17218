package dev.recsys.core.sasrec;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.Set;

/**
 * Users whose sequences online training revisits, a uniform reservoir sample of every user seen: steps on
 * them keep the model from drifting towards whoever was active in the last minute.
 */
final class RehearsalBuffer {

    private final int capacity;
    private final List<String> users = new ArrayList<>();
    private final Set<String> members = new HashSet<>();
    private final Random random;
    private long offered;

    RehearsalBuffer(int capacity, Random random) {
        this.capacity = capacity;
        this.random = random;
    }

    synchronized void offer(String userId) {
        if (members.contains(userId)) {
            return;
        }
        offered++;
        if (users.size() < capacity) {
            users.add(userId);
            members.add(userId);
            return;
        }
        long slot = (long) (random.nextDouble() * offered);
        if (slot < capacity) {
            members.remove(users.get((int) slot));
            users.set((int) slot, userId);
            members.add(userId);
        }
    }

    /** Takes the user out (their slot goes to the next user offered). */
    synchronized void remove(String userId) {
        if (members.remove(userId)) {
            users.remove(userId);
        }
    }

    synchronized Optional<String> sample() {
        return users.isEmpty() ? Optional.empty() : Optional.of(users.get(random.nextInt(users.size())));
    }
}

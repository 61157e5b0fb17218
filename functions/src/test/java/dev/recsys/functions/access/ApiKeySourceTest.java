package dev.recsys.functions.access;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

import org.junit.jupiter.api.Test;

class ApiKeySourceTest {

    static final Duration MINUTE = Duration.ofMinutes(1);

    @Test
    void keysCarryScopesAndAWrongScopeOrKeyIsToldApart() {
        ApiKeys keys = ApiKeys.parse(List.of("all-0123456789", "reader-0123456789:recommend",
                "writer-0123456789:ingest+catalogue"));
        assertEquals(Optional.of(Set.of(Scope.values())), keys.scopesOf("all-0123456789"));
        assertEquals(Optional.of(Set.of(Scope.RECOMMEND)), keys.scopesOf("reader-0123456789"));
        assertEquals(Optional.of(Set.of(Scope.INGEST, Scope.CATALOGUE)), keys.scopesOf("writer-0123456789"));
        assertEquals(Optional.empty(), keys.scopesOf("reader-0123456789:recommend"), "the scopes are not the key");
        assertEquals(Optional.empty(), keys.scopesOf(null));
        IllegalArgumentException bad = assertThrows(IllegalArgumentException.class,
                () -> ApiKeys.parse(List.of("ok-0123456789", "secret-key:admin")));
        assertTrue(bad.getMessage().startsWith("API key #2: unknown API key scope 'admin'"), bad.getMessage());
        assertFalse(bad.getMessage().contains("secret-key"), "a key is never in a message");
        assertEquals(Scope.INGEST, Scope.of("/forget-user"));
        assertEquals(Scope.CATALOGUE, Scope.of("/items"));
        assertEquals(Scope.RECOMMEND, Scope.of("/similar-items"));
    }

    @Test
    void noKeyAtAllRefusesToStartUnlessOpenIsAskedFor() {
        IllegalStateException closed = assertThrows(IllegalStateException.class,
                () -> new ApiKeySource(List.of(), Optional.empty(), MINUTE, false, System::nanoTime));
        assertTrue(closed.getMessage().contains("functions.auth.open=true"), closed.getMessage());
        // An empty secret is no key either.
        assertThrows(IllegalStateException.class,
                () -> new ApiKeySource(List.of(), Optional.of(List::of), MINUTE, false, System::nanoTime));
        assertFalse(new ApiKeySource(List.of(), Optional.empty(), MINUTE, true, System::nanoTime).required());
    }

    @Test
    void aKeyRevokedInTheSecretStopsWorkingWithinTheRefreshAndAnUnreadableSecretEndsInRefusal() {
        AtomicLong now = new AtomicLong();
        AtomicReference<List<String>> value = new AtomicReference<>(List.of("old-0123456789"));
        AtomicReference<RuntimeException> failure = new AtomicReference<>();
        Supplier<List<String>> secret = () -> {
            if (failure.get() != null) {
                throw failure.get();
            }
            return value.get();
        };
        ApiKeySource source = new ApiKeySource(List.of("static-0123456789"), Optional.of(secret), MINUTE, false,
                now::get);
        assertTrue(source.keys().orElseThrow().scopesOf("old-0123456789").isPresent());

        value.set(List.of("new-0123456789"));
        now.addAndGet(MINUTE.toNanos() - 1);
        assertTrue(source.keys().orElseThrow().scopesOf("old-0123456789").isPresent(), "not re-read yet");
        now.addAndGet(1);
        ApiKeys rotated = source.keys().orElseThrow();
        assertFalse(rotated.scopesOf("old-0123456789").isPresent(), "revoked within the refresh");
        assertTrue(rotated.scopesOf("new-0123456789").isPresent());
        assertTrue(rotated.scopesOf("static-0123456789").isPresent(), "configured keys stay");

        failure.set(new IllegalStateException("Secrets Manager unreachable"));
        now.addAndGet(2 * MINUTE.toNanos());
        assertTrue(source.keys().orElseThrow().scopesOf("new-0123456789").isPresent(), "the last keys, a while");
        now.addAndGet(MINUTE.toNanos());
        assertTrue(source.keys().isEmpty(), "three intervals without a read: no key is trusted");
        failure.set(null);
        now.addAndGet(1);
        assertTrue(source.keys().orElseThrow().scopesOf("new-0123456789").isPresent(), "read again: trusted again");
    }

    @Test
    void aRestoreRereadsTheKeysAtOnceAndTrustsNoneUntilItCan() {
        AtomicLong clock = new AtomicLong();
        AtomicReference<List<String>> secret = new AtomicReference<>(List.of("old-key-0123456789"));
        AtomicReference<Boolean> reachable = new AtomicReference<>(true);
        Supplier<List<String>> read = () -> {
            if (!reachable.get()) {
                throw new IllegalStateException("unreachable");
            }
            return secret.get();
        };
        ApiKeySource source = new ApiKeySource(List.of(), Optional.of(read), MINUTE, false, clock::get);
        // Revoked while the instance sat in a snapshot: the monotonic clock did not count that time.
        secret.set(List.of("new-key-0123456789"));
        clock.addAndGet(Duration.ofSeconds(1).toNanos());
        assertTrue(source.keys().get().scopesOf("old-key-0123456789").isPresent(), "within the interval, as before");
        source.restored();
        assertTrue(source.keys().get().scopesOf("old-key-0123456789").isEmpty(), "revoked key refused at once");
        assertTrue(source.keys().get().scopesOf("new-key-0123456789").isPresent());

        reachable.set(false);
        source.restored();
        assertTrue(source.keys().isEmpty(), "no key is trusted while the secret cannot be read after a restore");
        reachable.set(true);
        assertTrue(source.keys().get().scopesOf("new-key-0123456789").isPresent(), "the next request re-reads");
    }
}

package dev.recsys.stack;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import io.restassured.http.ContentType;
import io.restassured.response.Response;

import dev.recsys.kafka.LocalKafka;
import dev.recsys.stack.client.MetricsScrape;
import dev.recsys.stack.client.RankedAnswer;
import dev.recsys.store.BlobStores;
import dev.recsys.store.CheckpointStore;
import dev.recsys.store.S3Settings;

/**
 * A trainer and three serving shards on the real broker: the shards hold disjoint sets of users that cover
 * them all, answer every user as one worker with the same weights and events would, and a killed shard's users
 * are served by the others, from complete histories, within seconds.
 */
class ShardTest {

    private static final int USERS = 40;
    private static final int PARTITIONS = LocalKafka.TOPICS.get("feedback");
    /** The issue's bound on a killed shard's users being served again. */
    private static final Duration HANDOVER_BOUND = Duration.ofSeconds(15);

    @Test
    void shardsSplitTheUsersAnswerAsOneWorkerAndTakeOverAKilledShardsUsers() throws Exception {
        Path root = Path.of(System.getProperty("stack.root", "..")).toAbsolutePath().normalize();
        Path run = Files.createTempDirectory("shards-");
        Path store = run.resolve("checkpoints");
        Map<String, String> config = Map.of(
                "worker.model.path", TinyModel.save(run.resolve("model"), 40).toString(),
                "worker.model.cache-dir", root.resolve("target/djl-cache").toString(),
                "worker.checkpoint.store", store.toUri().toString(),
                "worker.checkpoint.interval", "PT1S",
                "worker.checkpoint.events", "1000000",
                // A fixed share for the table in the blend: learnt, it would depend on which events a worker saw.
                // Half, so that the model's side is compared too (at the starting share, 1, the table answers alone).
                "worker.blend.learn", "false", "worker.blend.weight", "0.5",
                "worker.refit.enabled", "false"); // a re-fit later would change the weights under the comparison
        CheckpointStore checkpoints = new CheckpointStore(
                BlobStores.open(store.toUri().toString(), S3Settings.aws("us-east-1")), 3);
        try (LocalStack stack = LocalStack.start(root, run.resolve("stack"), LocalStack.Ports.free(), config, 3)) {
            List<String> shards = stack.shardUrls();
            ingest(stack, new Random(1), 600);
            quiet(checkpoints, shards);

            // Disjoint partitions that cover the topic, and in each shard exactly the users of its partitions.
            Set<Integer> seen = new HashSet<>();
            for (String shard : shards) {
                Set<Integer> mine = partitions(shard);
                assertFalse(mine.isEmpty(), shard + " owns no partition");
                for (int p : mine) {
                    assertTrue(seen.add(p), "partition " + p + " owned twice");
                }
                long expected = users().stream().filter(u -> mine.contains(partitionOf(u))).count();
                assertEquals(expected, ShardHealth.catchUp(shard).path("users").asLong(),
                        shard + " holds the users of " + mine);
            }
            assertEquals(allPartitions(), seen);

            Map<String, RankedAnswer> sharded = answers(stack);
            System.out.println("what is compared, e.g. u0: " + sharded.get("u0"));

            // SIGKILL a shard with nothing new arriving: every answer in the handover is the complete one or a
            // refusal (503/504), never one from part of a history; all its users are served again in the bound.
            Set<Integer> moved = partitions(shards.get(1));
            List<String> movedUsers = users().stream().filter(u -> moved.contains(partitionOf(u))).toList();
            Map<Integer, Set<Integer>> ownedBefore = Map.of(0, partitions(shards.get(0)), 2, partitions(shards.get(2)));
            partsCaughtUp(checkpoints, moved);
            Map<Integer, MetricsScrape> metricsBefore = Map.of(0, MetricsScrape.of(shards.get(0)),
                    2, MetricsScrape.of(shards.get(2)));
            long killedAt = System.nanoTime();
            stack.killShard(1);
            Handover handover = awaitServed(stack, movedUsers, sharded, killedAt);
            System.out.printf("handover after SIGKILL of shard-1 (partitions %s, %d users): all served after %d ms; "
                    + "%d answers 200 (p50 %d ms, p99 %d ms), %d refused (503/504)%n", moved, movedUsers.size(),
                    handover.servedAfterMillis(), handover.ok(), handover.p50(), handover.p99(), handover.refused());
            assertTrue(handover.servedAfterMillis() <= HANDOVER_BOUND.toMillis(),
                    "the killed shard's users served again within " + HANDOVER_BOUND + ": " + handover);
            Set<Integer> survivors = new HashSet<>(partitions(shards.get(0)));
            survivors.addAll(partitions(shards.get(2)));
            assertEquals(allPartitions(), survivors, "the two left own every partition");
            takeOversReadTheirPartitionsPartsOnly(checkpoints, shards, ownedBefore, metricsBefore);

            // It comes back while events flow: partitions move back, and no event is lost or applied twice.
            java.util.concurrent.FutureTask<Void> writer = new java.util.concurrent.FutureTask<>(() -> {
                ingest(stack, new Random(2), 300);
                return null;
            });
            new Thread(writer, "ingest").start();
            stack.startShard(1);
            writer.get();
            assertFalse(partitions(shards.get(1)).isEmpty(), "the restarted shard owns partitions again");
            forgottenUsersLeaveTheShardsCheckpoints(stack, checkpoints);
            quiet(checkpoints, shards);
            Map<String, RankedAnswer> afterHandovers = answers(stack);

            // The reference: one worker, reading all feedback, from the same trainer's checkpoints.
            for (int i = 0; i < shards.size(); i++) {
                stack.stopShard(i);
            }
            ManagedApp reference = ShardHealth.singleWorker(root, config, stack.bootstrapServers(),
                    run.resolve("reference.log"));
            try {
                reference.start();
                Map<String, RankedAnswer> one = answers(stack);
                List<String> differ = new ArrayList<>();
                for (String user : users()) {
                    one.get(user).differenceFrom(afterHandovers.get(user)).ifPresent(why ->
                                differ.add(user + " (partition " + partitionOf(user) + "): " + why));
                }
                assertEquals(List.of(), differ, "users answered otherwise by one worker; moved partitions " + moved);
            } finally {
                reference.close();
            }
        }
    }

    record Handover(long servedAfterMillis, int ok, int refused, long p50, long p99) {
    }

    /**
     * A user's shard checkpoints them in their partition's part; once they are forgotten, no part of that
     * partition left in the store holds their id.
     */
    private static void forgottenUsersLeaveTheShardsCheckpoints(LocalStack stack, CheckpointStore checkpoints) {
        String user = "forget-me";
        given().baseUri(stack.functionsUrl()).contentType(ContentType.JSON)
                .body("[{\"userId\":\"forget-me\",\"itemId\":\"item-1\",\"type\":\"click\"},"
                        + "{\"userId\":\"forget-me\",\"itemId\":\"item-2\",\"type\":\"click\"}]")
                .post("/ingest").then().statusCode(202);
        CheckpointStore part = new CheckpointStore(new dev.recsys.store.PrefixedBlobStore(checkpoints.blobs(),
                "partitions/" + PARTITIONS + "-" + partitionOf(user) + "/"), 3);
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(300))
                .until(() -> part.latestId().map(id -> ForgetUserTest.holdsIn(part, id, user)).orElse(false));
        given().baseUri(stack.functionsUrl()).contentType(ContentType.JSON).body("{\"userId\":\"forget-me\"}")
                .post("/forget-user").then().statusCode(202);
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(300)).until(() -> !part.ids().isEmpty()
                && part.ids().stream().noneMatch(id -> ForgetUserTest.holdsIn(part, id, user)));
    }

    /**
     * Waits until the shard that owns {@code moved} has checkpointed each of them up to where the trainer's
     * latest checkpoint is (nothing new arrives now): the take-over after the kill then starts from those.
     */
    private static void partsCaughtUp(CheckpointStore trainer, Set<Integer> moved) {
        Map<Integer, Long> trainerAt = dev.recsys.core.checkpoint.CheckpointImageCodec.decode(
                trainer.loadLatest().orElseThrow().blobs(), trainer.loadLatest().orElseThrow().manifest().metadata())
                .nextOffsets();
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(300)).until(() -> moved.stream()
                .allMatch(p -> new CheckpointStore(new dev.recsys.store.PrefixedBlobStore(trainer.blobs(),
                        "partitions/" + PARTITIONS + "-" + p + "/"), 3).loadLatest(c -> dev.recsys.core.checkpoint
                                .CheckpointImageCodec.decode(c.blobs(), c.manifest().metadata()).nextOffsets().get(p))
                        .map(at -> trainerAt.get(p) == null || at.equals(trainerAt.get(p))).orElse(false)));
    }

    /**
     * The checkpoint is split by feedback partition, and a survivor's take-over read the item part and the
     * parts of the partitions it took, not every user's: per take-over at most the manifest, the item part and
     * the largest partition's part (and per reload of a newer checkpoint, the manifest and the item part).
     */
    private static void takeOversReadTheirPartitionsPartsOnly(CheckpointStore checkpoints, List<String> shards,
            Map<Integer, Set<Integer>> ownedBefore, Map<Integer, MetricsScrape> before) throws Exception {
        dev.recsys.store.Manifest manifest = checkpoints.loadLatest().orElseThrow().manifest();
        long manifestBytes = new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsBytes(manifest).length;
        long items = 0;
        long largestPart = 0;
        long users = 0;
        Set<String> parts = new TreeSet<>();
        for (dev.recsys.store.Manifest.Entry e : manifest.blobs()) {
            if (dev.recsys.core.checkpoint.CheckpointImageCodec.isHistories(e.name())) {
                parts.add(e.name());
                largestPart = Math.max(largestPart, e.size());
                users += e.size();
            } else {
                items += e.size();
            }
        }
        assertEquals(PARTITIONS, parts.size(), "histories split one part per feedback partition: " + parts);
        for (int shard : List.of(0, 2)) {
            MetricsScrape after = MetricsScrape.of(shards.get(shard));
            double read = after.sum("worker_checkpoint_read_bytes_total")
                    - before.get(shard).sum("worker_checkpoint_read_bytes_total");
            double taken = after.sum("worker_shard_partitions_taken_total")
                    - before.get(shard).sum("worker_shard_partitions_taken_total");
            double fromParts = after.sumWhere("worker_shard_partitions_taken_total", "from=\"shard-part\"")
                    - before.get(shard).sumWhere("worker_shard_partitions_taken_total", "from=\"shard-part\"");
            double reloads = after.sum("worker_replica_reloads_total")
                    - before.get(shard).sum("worker_replica_reloads_total");
            Set<Integer> gained = new TreeSet<>(partitions(shards.get(shard)));
            gained.removeAll(ownedBefore.get(shard));
            // The manifest as read back may be a few bytes longer than this re-serialisation: slack of 1 KiB.
            double bound = taken * (manifestBytes + 1024 + items + largestPart) + reloads * (manifestBytes + 1024 + items);
            System.out.printf("shard-%d took over %s: read %.0f bytes (item part %d, users' parts %d in all, "
                    + "largest %d)%n", shard, gained, read, items, users, largestPart);
            assertTrue(taken >= gained.size(), "partitions taken " + taken + " for " + gained);
            assertTrue(fromParts >= gained.size(), "taken from the killed shard's own checkpoints of them: "
                    + fromParts + " of " + taken);
            assertTrue(read > 0 && read <= bound, "shard-" + shard + " read " + read + " bytes for " + taken
                    + " partitions taken and " + reloads + " reloads; at most " + bound);
        }
    }

    /**
     * Asks for every moved user, all at once, round after round, until each has been answered 200 (a request
     * nobody reads waits out the functions' reply timeout, so one at a time would measure those). Every 200
     * must be the answer given before the kill: nothing new arrived, so anything else came from part of a
     * history.
     */
    private static Handover awaitServed(LocalStack stack, List<String> moved, Map<String, RankedAnswer> before,
            long killedAt) throws Exception {
        Set<String> waiting = java.util.concurrent.ConcurrentHashMap.newKeySet();
        waiting.addAll(moved);
        List<Long> latencies = java.util.Collections.synchronizedList(new ArrayList<>());
        AtomicInteger refused = new AtomicInteger();
        java.util.concurrent.atomic.AtomicLong lastServed = new java.util.concurrent.atomic.AtomicLong();
        long deadline = killedAt + HANDOVER_BOUND.toNanos() * 3;
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(moved.size());
        try {
            while (!waiting.isEmpty() && System.nanoTime() < deadline) {
                List<java.util.concurrent.Future<?>> round = new ArrayList<>();
                for (String user : List.copyOf(waiting)) {
                    round.add(pool.submit(() -> {
                        long t0 = System.nanoTime();
                        Response r = recommend(stack, user);
                        long t1 = System.nanoTime();
                        latencies.add((t1 - t0) / 1_000_000);
                        if (r.statusCode() == 200) {
                            before.get(user).differenceFrom(parse(r)).ifPresent(why ->
                                    fail(user + " answered from part of a history during the handover: " + why));
                            waiting.remove(user);
                            lastServed.accumulateAndGet(t1, Math::max);
                        } else {
                            assertTrue(r.statusCode() == 503 || r.statusCode() == 504,
                                    user + " answered " + r.statusCode() + ": " + r.asString());
                            refused.incrementAndGet();
                        }
                    }));
                }
                for (var f : round) {
                    f.get(); // an assertion that failed in the round fails here
                }
                Thread.sleep(200);
            }
        } finally {
            pool.shutdownNow();
        }
        assertTrue(waiting.isEmpty(), "users never served again: " + waiting);
        List<Long> sorted = new ArrayList<>(latencies);
        sorted.sort(Long::compare);
        return new Handover((lastServed.get() - killedAt) / 1_000_000, sorted.size() - refused.get(), refused.get(),
                sorted.get(sorted.size() / 2), sorted.get((int) Math.ceil(sorted.size() * 0.99) - 1));
    }

    /** Waits until the trainer has stopped writing new checkpoints and every shard serves its newest. */
    private static void quiet(CheckpointStore checkpoints, List<String> shards) {
        AtomicInteger stable = new AtomicInteger();
        String[] last = { "" };
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500)).until(() -> {
            String latest = checkpoints.latestId().orElse("");
            stable.set(latest.equals(last[0]) ? stable.get() + 1 : 0);
            last[0] = latest;
            return stable.get() >= 8 && !latest.isEmpty() && shards.stream().allMatch(s -> {
                try {
                    return ("sasrec@" + latest).equals(serving(s)) && ShardHealth.settled(s);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return false;
                } catch (RuntimeException | java.io.IOException e) {
                    return false; // a shard not up (yet)
                }
            });
        });
    }

    private static Map<String, RankedAnswer> answers(LocalStack stack) {
        Map<String, RankedAnswer> out = new LinkedHashMap<>();
        for (String user : users()) {
            Response r = recommend(stack, user);
            assertEquals(200, r.statusCode(), user + ": " + r.asString());
            out.put(user, parse(r));
        }
        return out;
    }

    private static RankedAnswer parse(Response r) {
        try {
            return RankedAnswer.parse(r.asByteArray());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static Response recommend(LocalStack stack, String user) {
        return given().baseUri(stack.functionsUrl()).contentType(ContentType.JSON)
                .body("{\"userId\":\"" + user + "\",\"k\":10}").post("/recommend");
    }

    private static void ingest(LocalStack stack, Random random, int events) {
        for (int sent = 0; sent < events; sent += 100) {
            StringBuilder batch = new StringBuilder("[");
            for (int i = 0; i < 100; i++) {
                batch.append(i == 0 ? "" : ",").append("{\"userId\":\"u%d\",\"itemId\":\"item-%d\",\"type\":\"click\"}"
                        .formatted(random.nextInt(USERS), random.nextInt(60)));
            }
            given().baseUri(stack.functionsUrl()).contentType(ContentType.JSON).body(batch.append("]").toString())
                    .post("/ingest").then().statusCode(202);
        }
    }

    /** The model version a worker serves (its {@code model} readiness check). */
    private static String serving(String worker) {
        List<Map<String, Object>> checks = given().baseUri(worker).get("/q/health/ready").then()
                .extract().jsonPath().getList("checks");
        return checks.stream().filter(c -> "model".equals(c.get("name")))
                .map(c -> String.valueOf(((Map<?, ?>) c.get("data")).get("serving"))).findFirst().orElse("none");
    }

    private static Set<Integer> partitions(String shard) throws Exception {
        return ShardHealth.partitions(shard);
    }

    private static Set<Integer> allPartitions() {
        Set<Integer> all = new TreeSet<>();
        for (int p = 0; p < PARTITIONS; p++) {
            all.add(p);
        }
        return all;
    }

    private static List<String> users() {
        List<String> out = new ArrayList<>();
        for (int u = 0; u < USERS; u++) {
            out.add("u" + u);
        }
        return out;
    }

    private static int partitionOf(String user) {
        return ShardHealth.partitionOf(user, PARTITIONS);
    }
}

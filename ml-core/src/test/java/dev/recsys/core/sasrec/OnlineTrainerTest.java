package dev.recsys.core.sasrec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.Test;

import dev.recsys.core.FeedbackWeights;
import dev.recsys.core.ItemVocabulary;
import dev.recsys.core.PopularityScorer;
import dev.recsys.core.UserHistories;
import dev.recsys.core.recommender.Recommender;
import dev.recsys.wire.FeedbackEvent;
import dev.recsys.wire.FeedbackType;
import dev.recsys.wire.ScoreReply;
import dev.recsys.wire.ScoreRequest;
import dev.recsys.wire.ScoredItem;

class OnlineTrainerTest {

    static final SasRecConfig CONFIG = new SasRecConfig(10, 16, 1, 2, 0.1f, 5e-3f, 32, 0, 11);
    static final int GROUP = 24;
    static final int REGION = 15;
    static final int ROUNDS = 20;
    static final int EPOCHS = 40;

    /** Two groups of users, each walking in order through its own region of the catalogue. */
    static final class World {
        final ItemVocabulary vocabulary = new ItemVocabulary();
        final UserHistories histories = new UserHistories(CONFIG.maxLength(), 1000);
        final Map<String, Integer> position = new HashMap<>();

        World() {
            for (String g : List.of("a", "b")) {
                for (int i = 0; i < REGION; i++) {
                    vocabulary.add(g + i);
                }
                for (int u = 0; u < GROUP; u++) {
                    for (int k = 0; k < 8; k++) {
                        histories.append(g + "-user" + u, g + next(g + "-user" + u));
                    }
                }
            }
        }

        int next(String user) {
            int p = position.merge(user, 1, Integer::sum) + user.hashCode() % 5;
            return Math.floorMod(p, REGION);
        }

        List<int[]> sequences() {
            List<int[]> out = new ArrayList<>();
            for (String user : position.keySet()) {
                out.add(histories.snapshot(user).sequence().stream().mapToInt(vocabulary::row).toArray());
            }
            return out;
        }
    }

    static SasRecModel pretrained(World world) {
        SasRecModel model = SasRecModel.create(CONFIG, world.vocabulary.rows());
        SasRecTrainer trainer = new SasRecTrainer(model);
        for (int epoch = 0; epoch < EPOCHS; epoch++) {
            trainer.epoch(world.sequences(), SasRecTrainer.ProgressListener.NONE);
        }
        return model;
    }

    static FeedbackEvent view(String user, String item) {
        return new FeedbackEvent(null, user, item, FeedbackType.VIEW, null, System.currentTimeMillis());
    }

    static void awaitCaughtUp(OnlineTrainer trainer) throws InterruptedException {
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (!trainer.caughtUp()) {
            assertTrue(System.nanoTime() < deadline, "online training did not catch up within 60 s");
            Thread.sleep(5);
        }
    }

    /** Mean rank (0 = best) of {@code item} over a group's users, under the served snapshot. */
    static double meanRank(ServingModel serving, World world, String group, String item) {
        ModelSnapshot s = serving.acquire().orElseThrow();
        try {
            return meanRank(s.model(), world, group, item);
        } finally {
            s.release();
        }
    }

    static double meanRank(SasRecModel model, World world, String group, String item) {
        int row = world.vocabulary.row(item);
        double sum = 0;
        for (int u = 0; u < GROUP; u++) {
            int[] seq = world.histories.snapshot(group + "-user" + u).sequence().stream()
                    .mapToInt(world.vocabulary::row).filter(r -> r > 0 && r < model.rows()).toArray();
            float[] scores = SasRecInference.scores(model, List.of(seq))[0];
            int rank = 0;
            for (int i = 1; i < scores.length; i++) {
                rank += i != row && scores[i] > scores[row] ? 1 : 0;
            }
            sum += rank;
        }
        return sum / GROUP;
    }

    @Test
    void adoptedWeightsServeAndRowsGrownSinceKeepTheirOnlineValues() throws Exception {
        World world = new World();
        SasRecModel model = pretrained(world);
        SasRecModel.Weights refit;
        try (SasRecModel other = SasRecModel.create(CONFIG.withSeed(99), world.vocabulary.rows())) {
            refit = other.weights();
        }
        ServingModel serving = new ServingModel(new ModelSnapshot(SasRecModel.of(CONFIG, model.weights()), "base", 0));
        try (OnlineTrainer trainer = new OnlineTrainer(model, world.vocabulary, world.histories, serving,
                new OnlineTrainingConfig(16, 8, 4, 2, 500, 1000, 0.5), TrainingListener.NONE, "online").start()) {
            // An item the pass never saw: the trainer gives it a row before the weights come back.
            world.vocabulary.add("late");
            world.histories.append("a-user0", "late");
            trainer.positive("a-user0", "late", System.currentTimeMillis());
            trainer.checkpoint().get(30, TimeUnit.SECONDS);
            float[] lateRow = trainer.checkpoint().get(30, TimeUnit.SECONDS).weights().values().get("items");
            trainer.adopt(refit).get(30, TimeUnit.SECONDS);

            SasRecModel.Weights now = trainer.checkpoint().get(30, TimeUnit.SECONDS).weights();
            int d = CONFIG.dim();
            int rows = world.vocabulary.rows();
            assertArrayEquals(java.util.Arrays.copyOf(refit.values().get("block0.attn.q.weight"), 8),
                    java.util.Arrays.copyOf(now.values().get("block0.attn.q.weight"), 8), "the pass's weights");
            assertArrayEquals(java.util.Arrays.copyOfRange(refit.values().get("items"), d, 2 * d),
                    java.util.Arrays.copyOfRange(now.values().get("items"), d, 2 * d), "a row the pass trained");
            assertArrayEquals(java.util.Arrays.copyOfRange(lateRow, (rows - 1) * d, rows * d),
                    java.util.Arrays.copyOfRange(now.values().get("items"), (rows - 1) * d, rows * d),
                    "the row grown after the pass copied the vocabulary");
            assertEquals(rows, serving.acquire().orElseThrow().rows(), "published");
        }
    }

    @Test
    void aBurstThatTiesANewItemToAGroupRaisesItForThatGroupOnly() throws Exception {
        World world = new World();
        SasRecModel model = pretrained(world);
        ServingModel serving = new ServingModel(
                new ModelSnapshot(SasRecModel.of(CONFIG, model.weights()), "base", 0));
        try (OnlineTrainer trainer = new OnlineTrainer(model, world.vocabulary, world.histories, serving,
                new OnlineTrainingConfig(16, 8, 4, 2, 500, 1000, 0.5), TrainingListener.NONE, "online").start()) {
            Recommender recommender = new Recommender(world.histories, new PopularityScorer(1000, 0),
                    new SasRecScorer(serving, world.vocabulary, new PopularityScorer(1000, 0)),
                    FeedbackWeights.defaults(), trainer);

            // What a freshly grown row would rank before any training on it.
            world.vocabulary.add("new");
            double beforeA;
            double beforeB;
            try (SasRecModel grown = SasRecModel.of(CONFIG, serving.acquire().orElseThrow().model().weights())) {
                grown.growItems(world.vocabulary.rows());
                beforeA = meanRank(grown, world, "a", "new");
                beforeB = meanRank(grown, world, "b", "new");
            }

            // Group a now sees "new" after every item of its region; group b goes on as before.
            for (int round = 0; round < ROUNDS; round++) {
                for (int u = 0; u < GROUP; u++) {
                    String a = "a-user" + u;
                    recommender.apply(view(a, "new"));
                    recommender.apply(view(a, "a" + world.next(a)));
                    String b = "b-user" + u;
                    recommender.apply(view(b, "b" + world.next(b)));
                }
                awaitCaughtUp(trainer);
            }
            double afterA = meanRank(serving, world, "a", "new");
            double afterB = meanRank(serving, world, "b", "new");
            String ranks = String.format("mean rank of the new item among %d: a %.1f -> %.1f, b %.1f -> %.1f",
                    world.vocabulary.rows() - 1, beforeA, afterA, beforeB, afterB);
            System.out.println(ranks);
            // The item is a third of group a's recent targets, so some of it leaks to everyone as popularity;
            // the margins separate that from learning. Thread timing changes which users share a step, so the
            // figures vary between runs; over nine runs a rose 15-16 places to 0.0, b at most 7.3 to >= 8.5.
            assertTrue(afterA <= 2.0, "group a should rank the new item near the top; " + ranks);
            assertTrue(beforeA - afterA >= 10, "the new item should rise for group a; " + ranks);
            assertTrue(afterB - afterA >= 5, "group b should not rank it like group a; " + ranks);
            assertTrue((beforeA - afterA) - (beforeB - afterB) >= 5, "b's rise is popularity, not learning; " + ranks);
            assertTrue(serving.version().orElseThrow().startsWith("online+"));
        } finally {
            serving.close();
        }
    }

    @Test
    void everyAnswerComesFromExactlyOnePublishedSnapshot() throws Exception {
        World world = new World();
        SasRecModel model = pretrained(world);
        ServingModel serving = new ServingModel();
        Map<String, SasRecModel.Weights> published = new ConcurrentHashMap<>();
        TrainingListener record = new TrainingListener() {
            @Override
            public void published(ModelSnapshot snapshot, long[] ingestedAtMillis) {
                published.put(snapshot.version(), snapshot.model().weights());
            }
        };
        PopularityScorer popularity = new PopularityScorer(1000, 0);
        try (OnlineTrainer trainer = new OnlineTrainer(model, world.vocabulary, world.histories, serving,
                new OnlineTrainingConfig(4, 4, 4, 1, 500, 1000, 0.5), record, "online").start()) {
            Recommender recommender = new Recommender(world.histories, popularity,
                    new SasRecScorer(serving, world.vocabulary, popularity), FeedbackWeights.defaults(), trainer);
            AtomicBoolean feeding = new AtomicBoolean(true);
            Thread feeder = new Thread(() -> {
                for (int i = 0; feeding.get(); i++) {
                    String user = (i % 2 == 0 ? "a" : "b") + "-user" + (i / 2 % GROUP);
                    recommender.apply(view(user, user.substring(0, 1) + world.next(user)));
                    if (i % 8 == 0) {
                        Thread.onSpinWait();
                    }
                }
            });
            feeder.start();
            // The probe user's history is fixed, so its scores change only when the weights do.
            world.histories.append("probe", "a1");
            world.histories.append("probe", "a2");
            List<ScoreReply> answers = new ArrayList<>();
            long deadline = System.nanoTime() + 60_000_000_000L;
            while (answers.stream().map(ScoreReply::modelVersion).filter(v -> v.startsWith("online+"))
                    .distinct().count() < 6 && System.nanoTime() < deadline) {
                answers.add(recommender.recommend(List.of(new ScoreRequest("probe", 5, false))).get(0));
            }
            feeding.set(false);
            feeder.join();

            assertTrue(answers.stream().map(ScoreReply::modelVersion).filter(v -> v.startsWith("online+"))
                    .distinct().count() >= 5, "serving should have gone through several snapshots");
            Map<String, List<ScoredItem>> expected = new HashMap<>();
            for (ScoreReply answer : answers) {
                if (answer.modelVersion().startsWith("popularity")) {
                    continue; // before the first snapshot
                }
                List<ScoredItem> want = expected.computeIfAbsent(answer.modelVersion(), v -> {
                    SasRecModel.Weights w = published.get(v);
                    try (SasRecModel m = SasRecModel.of(CONFIG, w)) {
                        ItemVocabulary upTo = ItemVocabulary.of(world.vocabulary.items().subList(0, m.rows() - 1));
                        return SasRecScorer.of(m, upTo, popularity, "check")
                                .score(List.of(new dev.recsys.core.ScoreQuery("probe", List.of("a1", "a2"),
                                        java.util.Set.of(), 5))).get(0).items();
                    }
                });
                assertEquals(want, answer.items(), "answer of " + answer.modelVersion());
            }
        } finally {
            serving.close();
        }
    }

    @Test
    void aNewEventChangesTheNextAnswerWithoutTraining() {
        World world = new World();
        try (SasRecModel model = pretrained(world)) {
            PopularityScorer popularity = new PopularityScorer(1000, 0);
            Recommender recommender = new Recommender(world.histories, popularity,
                    SasRecScorer.of(model, world.vocabulary, popularity, "fixed"), FeedbackWeights.defaults(),
                    dev.recsys.core.FeedbackListener.NONE);
            String user = "a-user3";
            List<ScoredItem> before = recommender.recommend(List.of(new ScoreRequest(user, 5, true))).get(0).items();
            String top = before.get(0).itemId();
            recommender.apply(view(user, top));
            List<ScoredItem> after = recommender.recommend(List.of(new ScoreRequest(user, 5, true))).get(0).items();
            assertFalse(after.stream().anyMatch(i -> i.itemId().equals(top)), "the item just seen is excluded");
            assertNotEquals(before.subList(1, 5), after.subList(0, 4), "the new sequence is scored afresh");
        }
    }

    @Test
    void turnedDownItemsAreNeverRecommendedAndNeverTrainedOn() throws Exception {
        World world = new World();
        SasRecModel model = pretrained(world);
        float[] itemsBefore = model.weights().values().get("items").clone();
        ServingModel serving = new ServingModel(new ModelSnapshot(SasRecModel.of(CONFIG, model.weights()), "base", 0));
        PopularityScorer popularity = new PopularityScorer(1000, 0);
        try (OnlineTrainer trainer = new OnlineTrainer(model, world.vocabulary, world.histories, serving,
                OnlineTrainingConfig.defaults(), TrainingListener.NONE, "online").start()) {
            Recommender recommender = new Recommender(world.histories, popularity,
                    new SasRecScorer(serving, world.vocabulary, popularity), FeedbackWeights.defaults(), trainer);
            String user = "a-user5";
            String top = recommender.recommend(List.of(new ScoreRequest(user, 1, false))).get(0).items().get(0).itemId();
            recommender.apply(new FeedbackEvent(null, user, top, FeedbackType.SKIP, null, 1));
            recommender.apply(new FeedbackEvent(null, user, "a0", FeedbackType.RATING, 1.0, 1));
            awaitCaughtUp(trainer);
            List<String> items = recommender.recommend(List.of(new ScoreRequest(user, 50, false))).get(0).items()
                    .stream().map(ScoredItem::itemId).toList();
            assertFalse(items.contains(top) || items.contains("a0"), items.toString());
            assertEquals(List.copyOf(world.histories.snapshot("a-user5").sequence()).size(), 8,
                    "negative feedback does not enter the training sequence");
            assertEquals(0, trainer.steps(), "nothing positive arrived, so nothing was trained");
            assertArrayEquals(itemsBefore, serving.acquire().orElseThrow().model().weights().values().get("items"));
        } finally {
            serving.close();
        }
    }

    @Test
    void theLagIsTheAgeOfTheOldestEventNoStepHasTakenAndNoneOnceCaughtUp() throws Exception {
        World world = new World();
        SasRecModel model = SasRecModel.create(CONFIG, world.vocabulary.rows());
        ServingModel serving = new ServingModel();
        try (OnlineTrainer trainer = new OnlineTrainer(model, world.vocabulary, world.histories, serving,
                OnlineTrainingConfig.defaults(), TrainingListener.NONE, "lag")) {
            assertEquals(0, trainer.behindMillis(5_000), "nothing waits");
            trainer.positive("a-user1", "a2", 1_000);
            trainer.positive("a-user2", "a4", 1_500);
            trainer.positive("a-user1", "a3", 1_800);
            assertEquals(1_000, trainer.behindMillis(2_000), "a-user1's first event is the oldest");
            assertEquals(0, trainer.behindMillis(900), "a clock behind the ingest time is no lag");
            trainer.start();
            awaitCaughtUp(trainer);
            assertEquals(0, trainer.behindMillis(System.currentTimeMillis()));
        } finally {
            serving.close();
        }
    }

    @Test
    void aRestoredTrainerKeepsTellingGrownRowsFromOfflineOnes() throws Exception {
        // A checkpointed model whose last two rows were grown online and are still zero: after restore, with the
        // offline row count from the checkpoint, they must not stand for their items in histories yet.
        World world = new World();
        SasRecModel.Weights w = SasRecModel.initialWeights(CONFIG, world.vocabulary.rows() + 2);
        float[] items = w.values().get("items");
        java.util.Arrays.fill(items, world.vocabulary.rows() * CONFIG.dim(), items.length, 0f);
        world.vocabulary.add("grown-1");
        world.vocabulary.add("grown-2");
        SasRecModel model = SasRecModel.of(CONFIG, w);
        ServingModel serving = new ServingModel();
        OptimizerState fresh = new SasRecTrainer(SasRecModel.of(CONFIG, w)).optimizerState();
        try (OnlineTrainer trainer = new OnlineTrainer(model, world.vocabulary, world.histories, serving,
                OnlineTrainingConfig.defaults(), TrainingListener.NONE, "restored")
                .restore(fresh, 100, world.vocabulary.rows() - 2).start()) {
            trainer.positive("a-user0", "a3", System.currentTimeMillis());
            world.histories.append("a-user0", "a3");
            awaitCaughtUp(trainer);
            ModelSnapshot s = serving.acquire().orElseThrow();
            try {
                assertTrue(s.mature(world.vocabulary.row("a1")), "an offline row");
                assertFalse(s.mature(world.vocabulary.row("grown-1")), "a grown row still at zero");
                assertTrue(s.version().startsWith("restored+10"), s.version());
            } finally {
                s.release();
            }
        }
    }
}

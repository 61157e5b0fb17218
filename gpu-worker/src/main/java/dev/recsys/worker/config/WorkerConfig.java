package dev.recsys.worker.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import dev.recsys.core.FeedbackWeights;
import dev.recsys.wire.FeedbackType;

/**
 * Every {@code worker.*} setting, typed, with its default (docs/operations.md lists them). One mapping over
 * 300 lines on purpose: topic names, timeouts and limits all live here, where an operator finds them, and
 * each group is a nested interface of a few keys.
 */
@ConfigMapping(prefix = "worker")
public interface WorkerConfig {

    History history();

    Popularity popularity();

    Scoring scoring();

    Items items();

    /** The item catalogue: a compacted topic read from its start at every start, then followed. */
    interface Items {
        @WithDefault("items")
        String topic();

        /** Partitions of the topic when the worker creates it ({@code worker.topics.create}). */
        @WithDefault("1")
        int partitions();

        /**
         * Records younger than this are never compacted away (min.compaction.lag.ms on a created topic): every
         * update after the newest checkpoint stays readable, so a refused record cannot replace a valid one a
         * restart still needs. Keep it well above {@code worker.checkpoint.interval}.
         */
        @WithDefault("P1D")
        Duration compactionLag();
    }

    Model model();

    /**
     * Where the model's tensors live (scoring, training, checkpoints, similar items): {@code auto}, a GPU when
     * the engine sees one, else the CPU (logged at start); {@code cpu}; {@code gpu}, which refuses to start
     * without one. A GPU needs the CUDA build ({@code mvn -Pcuda package}).
     */
    @WithDefault("auto")
    dev.recsys.core.sasrec.ComputeDevice.Choice device();

    /**
     * What ranks. {@code auto}: the Transformer blended with co-occurrence when there is a model, else
     * co-occurrence. {@code hybrid}: that blend (needs a model). {@code sasrec}: the Transformer alone, with
     * popularity for users it knows nothing of. {@code cooccurrence}, {@code markov}, {@code popularity}: one
     * online table alone; no model is loaded. Every table is kept up to date whatever ranks.
     */
    @WithDefault("auto")
    ScorerChoice scorer();

    enum ScorerChoice {
        AUTO, HYBRID, SASREC, COOCCURRENCE, MARKOV, POPULARITY;

        public boolean usesModel() {
            return this == AUTO || this == HYBRID || this == SASREC;
        }
    }

    Blend blend();

    /** How the Transformer and the co-occurrence table are mixed ({@code worker.scorer} auto or hybrid). */
    interface Blend {
        /**
         * The table's share of the mixed next-item distribution, in [0, 1], before the gate has learnt any (or
         * always, when it does not learn). 1, the table alone: the model has to earn its share.
         */
        @WithDefault("1")
        double weight();

        /**
         * Learn the share from the stream (the candidate share whose ranking gave sampled events the best
         * decayed NDCG@10, if it leads the table alone by {@link #evidence()}); false keeps {@link #weight()}.
         */
        @WithDefault("true")
        boolean learn();

        /**
         * Each sampled event's weight in the record the share is chosen by (about 1/decay events of memory, the
         * standard errors' effective sample size about 2/decay).
         */
        @WithDefault("0.0005")
        double decay();

        /** Most events per second the gate samples (each costs a share of a batched forward pass). */
        @WithDefault("200")
        int samplesPerSecond();

        /**
         * Standard errors by which a share's lead over the table alone, paired on the sampled events, must
         * exceed zero before the gate takes it; until then the table answers alone. 0 takes the best record,
         * however thin its lead.
         */
        @WithDefault("2")
        double evidence();
    }

    Training training();

    Checkpoint checkpoint();

    /**
     * The feedback topic. The feedback channel reads it too ({@code mp.messaging.incoming.feedback.topic} is
     * set from this key), so consumer, read-your-writes lookups, catch-up and topic creation name one topic.
     */
    @WithDefault("feedback")
    String feedbackTopic();

    /**
     * How long a feedback partition's last stable offset may stand still while records sit after it (another
     * producer's open transaction holds read_committed readers) before the {@code feedback-log} readiness
     * check, {@code worker_feedback_stalled_partitions} and the alarm say so.
     */
    @WithDefault("PT15S")
    Duration feedbackStallBound();

    Topics topics();

    Broker broker();

    /**
     * Bounds on the worker's own calls to the broker, so that a broker that does not answer gives a clear
     * status in bounded time. The channels take theirs from the {@code kafka.*} and {@code mp.messaging.*}
     * settings; read-your-writes and replies have theirs under {@code worker.scoring}.
     */
    interface Broker {
        /** A lookup a check waits for: where the feedback log ended at start (readiness). */
        @WithDefault("PT2S")
        Duration callTimeout();

        /** Metadata and offsets the catalogue waits for at start; creating missing topics. */
        @WithDefault("PT30S")
        Duration adminTimeout();

        /** How long sending a refused record to its dead-letter topic may block the thread that refused it. */
        @WithDefault("PT5S")
        Duration deadLetterMaxBlock();

        /** How long a dead letter may take to be delivered, retries included, before it is logged as lost. */
        @WithDefault("PT30S")
        Duration deadLetterDelivery();
    }

    Records records();

    /**
     * What the worker accepts from its topics, which any client with access may write: the rules are the
     * functions' ({@code dev.recsys.wire.validation}), and these bounds equal theirs by default.
     */
    interface Records {
        /** Longest user, item, event or category id. */
        @WithDefault("" + dev.recsys.wire.validation.WireLimits.DEFAULT_MAX_ID_LENGTH)
        int maxIdLength();

        /** How far ahead of this worker's clock a record's timestamp may be. */
        @WithDefault("P1D")
        Duration maxClockSkew();

        /** A refused record goes to its topic's name plus this suffix, with the reason in its headers. */
        @WithDefault("-dlq")
        String deadLetterSuffix();

        default dev.recsys.wire.validation.WireLimits limits() {
            return new dev.recsys.wire.validation.WireLimits(maxIdLength(), maxClockSkew().toMillis());
        }
    }

    /**
     * Topics the worker creates at start when they are missing, for a cluster nobody prepared (MSK from
     * Terraform, whose provider cannot create topics). Off by default: the local broker creates its own.
     */
    interface Topics {
        @WithDefault("false")
        boolean create();

        /** Partitions of the feedback topic: the most workers' consumers that can share it. */
        @WithDefault("6")
        int feedbackPartitions();

        /**
         * Partitions of the score-request topic: as many as feedback's, so that serving shards
         * ({@code worker.mode=shard}) get a user's requests on the partition number of their events.
         */
        @WithDefault("6")
        int scoringPartitions();

        /** Replication factor of created topics (MSK Serverless: 3). */
        @WithDefault("1")
        short replication();

        /**
         * How long created topics keep records (the compacted items topic keeps the newest per item instead).
         * It bounds how long a forgotten user's raw events stay in {@code feedback}.
         */
        @WithDefault("P7D")
        Duration retention();

        /**
         * How long created score-request and reply topics keep records: a request is stale after seconds, and
         * each holds a user id and what they were shown.
         */
        @WithDefault("PT1H")
        Duration requestRetention();

        /** How long created dead-letter topics keep refused records (with the user's id, if it parsed). */
        @WithDefault("P1D")
        Duration deadLetterRetention();
    }

    /**
     * {@code primary}: consumes feedback, trains (if enabled) and writes checkpoints. {@code replica}: a
     * read-only serving worker that restores the newest checkpoint, hot-reloads the model from newer ones as
     * the primary writes them, consumes feedback for histories only, and never trains or writes. A replica
     * needs its own feedback group id (mp.messaging.incoming.feedback.group.id) and instance id.
     * {@code trainer}: a primary that answers no score requests (the training half of a sharded deployment).
     * {@code shard}: a serving shard; shards share one feedback group id, each owns the users of the feedback
     * partitions Kafka assigns it (their histories only) and answers the co-partitioned score requests; the
     * model and the item tables follow the trainer's checkpoints, as a replica's do.
     */
    @WithDefault("primary")
    Mode mode();

    enum Mode {
        PRIMARY, REPLICA, TRAINER, SHARD;

        /** Trains, and writes checkpoints. */
        public boolean trains() {
            return this == PRIMARY || this == TRAINER;
        }

        /** Takes its model from another worker's checkpoints. */
        public boolean follows() {
            return this == REPLICA || this == SHARD;
        }

        /** Answers score requests. */
        public boolean serves() {
            return this != TRAINER;
        }
    }

    /**
     * This worker's name in its Kafka consumer groups (static membership): stable across restarts, so a
     * restarted worker gets its partitions back at once; distinct for each worker reading the same groups.
     */
    @WithDefault("gpu-worker-0")
    String instanceId();

    /** Weight of each feedback type by its wire name; types left out weigh nothing. */
    Map<String, Double> feedbackWeights();

    /** {@link #feedbackWeights} by type, with {@link #positiveRating}; an unknown type name refuses to start. */
    static FeedbackWeights feedbackWeightsOf(WorkerConfig config) {
        Map<FeedbackType, Double> byType = new EnumMap<>(FeedbackType.class);
        config.feedbackWeights().forEach((name, weight) -> byType.put(FeedbackType.parse(name).orElseThrow(
                () -> new IllegalArgumentException("worker.feedback-weights." + name
                        + ": unknown feedback type; one of " + FeedbackType.NAMES)), weight));
        return new FeedbackWeights(byType, config.positiveRating());
    }

    /** Ratings at or above this count as positive feedback. */
    @WithDefault("3.5")
    double positiveRating();

    interface History {
        /** Length of the input sequence kept per user. */
        @WithDefault("200")
        int maxLength();

        /** Distinct recent items per user that "exclude seen" remembers. */
        @WithDefault("2000")
        int maxSeen();
    }

    Limits limits();

    Quality quality();

    /** The five measures of what the worker serves, in /q/metrics as worker_quality_* (docs/model.md). */
    interface Quality {
        /**
         * Users whose last list is kept to score it against their next event: at most ten ids each, so at
         * most about 10 * 256 * 2 bytes of id text a user (5 MB at the default).
         */
        @WithDefault("1000")
        int users();

        /** User lists per window: the gauges show the last complete window. */
        @WithDefault("2000")
        int window();

        /**
         * Each blended user answer is also asked of the co-occurrence table alone, and both lists are scored by
         * the user's next positive item (worker_quality_paired_*): one table lookup more per blended request.
         */
        @WithDefault("true")
        boolean compareTable();
    }

    /**
     * Bounds on what unknown clients can make the worker hold, in entries and in bytes (ids counted as
     * dev.recsys.core.IdBytes estimates them: 64 bytes plus two a character; docs/topics.md). Users are evicted,
     * least recently active first; new items and catalogue entries past their bound are refused to the
     * dead-letter topic.
     */
    interface Limits {
        /** About 1.5 KB of heap each with a 10-event history: 1.5 GB at the default. */
        @WithDefault("1000000")
        int maxUsers();

        /**
         * Ids one user's history holds (sequence, seen and rejected items): past it the oldest seen go first,
         * then the oldest rejected, then the oldest of the sequence. 256 KiB holds the default lengths at ids
         * of up to 40 characters.
         */
        @WithDefault("262144")
        long maxUserBytes();

        /** Every history together, user ids included: past it the least recently active users go. */
        @WithDefault("1073741824")
        long maxHistoryBytes();

        /** Items with feedback (popularity, item tables, model rows): about 120 B each before tables and model. */
        @WithDefault("1000000")
        int maxItems();

        /**
         * The co-occurrence table and the Markov chain together (5/6 and 1/6 of it): distinct item pairs keep
         * growing with users after items stop, so past this the entries of least weight (count / sqrt(row
         * total)) go, down to 3/4 of it (docs/model.md). 512 MiB holds about 33 million entries.
         */
        @WithDefault("536870912")
        long maxItemTableBytes();

        /** Entries of the item catalogue (the items topic). */
        @WithDefault("2000000")
        int maxCatalogueItems();

        /**
         * The catalogue's entries and category index: an update that would grow it past this is refused to the
         * dead-letter topic; one that does not grow it (a hide, fewer categories) always applies.
         */
        @WithDefault("536870912")
        long maxCatalogueBytes();
    }

    /**
     * Retried events: a (user, eventId) pair applied once is dropped when it comes again, for as long as it
     * is remembered (24 bytes a pair, carried in checkpoints).
     */
    Dedup dedup();

    /**
     * A worker with no model ({@code worker.scorer=auto}) trains one from the histories it holds once there is
     * enough data, on a background thread, while the co-occurrence table serves; then swaps it in.
     */
    Bootstrap bootstrap();

    interface Bootstrap {
        @WithDefault("true")
        boolean enabled();

        /** Positive events the worker must hold (across restarts) before it trains. */
        @WithDefault("5000")
        long minPositiveEvents();

        /** Users with a history the worker must hold before it trains. */
        @WithDefault("50")
        int minUsers();

        /**
         * Once there is enough data, training waits until no positive event came for this long (an import
         * in progress is let finish), but no longer than {@link #maxDelay()}.
         */
        @WithDefault("PT5S")
        Duration quiet();

        @WithDefault("PT1M")
        Duration maxDelay();

        /** High enough that patience or the deadline stops a first fit, not a count. */
        @WithDefault("100")
        int maxEpochs();

        /** Epochs without a better validation NDCG@10 before training stops. */
        @WithDefault("10")
        int patience();

        /**
         * Training stops after this long, keeping its best epoch so far; the table serves meanwhile. Eight
         * minutes keeps serving within ten of an import on 2 CPU cores; three stopped ml-1m-prefix at epoch 12
         * of a rising curve, 7.5% below a warm start trained to its plateau (eight: best epoch 27 of 37, 4.97%).
         */
        @WithDefault("PT8M")
        Duration maxDuration();

        /**
         * The share of users (with 3 or more items) whose last item is held out to validate on, at most 2,000
         * of them. All by default, as offline evaluation does: with a few hundred users, a tenth of them gave
         * a validation NDCG@10 too noisy to pick an epoch by (ml-latest-small: best "epoch 2" of 8).
         */
        @WithDefault("1.0")
        double validationShare();
    }

    /**
     * Regenerating the model: every so many new positive events (or so much time), a full pass over the
     * histories warm-started from the served weights, swapped in when its held-out NDCG@10 beats theirs.
     */
    Refit refit();

    interface Refit {
        @WithDefault("true")
        boolean enabled();

        /**
         * Positive events since the model was last trained in full (bootstrap, re-fit or start); twice as many
         * after each rejected pass, up to 8 times, until one is accepted.
         */
        @WithDefault("50000")
        long everyEvents();

        /** Or this long since then, if any positive event came meanwhile. */
        @WithDefault("PT6H")
        Duration interval();

        @WithDefault("10")
        int maxEpochs();

        @WithDefault("3")
        int patience();

        @WithDefault("PT3M")
        Duration maxDuration();

        /** Adam's step size for the pass; by default the served model's own (its offline training's). */
        Optional<Float> learningRate();

        /**
         * The pass waits before each batch while online training has an event this old not yet taken: fresh
         * weights for the stream come first, the pass gets the cores left over.
         */
        @WithDefault("PT0.3S")
        Duration yieldBehind();

        /** The longest the pass waits before one batch, so that it still moves on when training never catches up. */
        @WithDefault("PT10S")
        Duration maxYield();
    }

    interface Dedup {
        /** The most pairs remembered; past it, the oldest go. */
        @WithDefault("1000000")
        int maxIds();

        /** The same bound in heap: 96 bytes a pair at most (24 in checkpoints); the smaller of the two holds. */
        @WithDefault("96000000")
        long maxBytes();

        /** Pairs one user may hold: past it, that user's own oldest go, never another user's. */
        @WithDefault("1000")
        int maxIdsPerUser();

        /** How long a pair is remembered after it was applied: the longest a client may wait to retry. */
        @WithDefault("PT1H")
        Duration retention();
    }

    interface Popularity {
        @WithDefault("P7D")
        Duration halfLife();

        /** How stale the popularity ranking may get before scoring rebuilds it. */
        @WithDefault("PT0.1S")
        Duration refresh();
    }

    interface Model {
        /** A SASRec checkpoint folder (bin/evaluate --save-model); without one, popularity answers. */
        Optional<Path> path();

        /** Intra-op threads for PyTorch: one gives the steadiest single-request latency on two cores. */
        @WithDefault("1")
        int threads();

        /**
         * What runs the forward pass when scoring: {@code pytorch} (DJL) or {@code tensorflow} (TensorFlow Java,
         * graph mode, the same weights; training stays on PyTorch).
         */
        @WithDefault("pytorch")
        Backend backend();

        enum Backend {
            PYTORCH, TENSORFLOW
        }

        /** Where TensorFlow's native library is unpacked from its Maven jar. */
        @WithDefault("target/javacpp-cache")
        Path tensorflowCacheDir();

        /** Where DJL unpacks PyTorch's native library from its Maven jar. */
        @WithDefault("target/djl-cache")
        Path cacheDir();
    }

    /** Online training of the loaded model on live feedback (see OnlineTrainingConfig). */
    interface Training {
        /**
         * On by default: on the MovieLens replay through the stack the online model beat the same model
         * frozen (1.03x NDCG@10; docs/results/2026-12-01-replay.md). Off, the model stays as loaded.
         */
        @WithDefault("true")
        boolean enabled();

        /**
         * Adam's step size online: a tenth of the offline one. Measured on MovieLens, replaying one event at
         * a time: 2e-4 beat the frozen model by 1.27x in HR@10 after 1,000 events, 2e-3 fell to 0.64x.
         */
        @WithDefault("0.0002")
        float learningRate();

        /**
         * Dropout in online steps. Zero is what the replay through the stack measured (online / frozen 1.27);
         * the offline 0.3 has only been measured in-process (online / frozen 1.17 in HR@10 after 40,000
         * events), not through the stack.
         */
        @WithDefault("0")
        float dropout();

        @WithDefault("16")
        int usersPerStep();

        @WithDefault("16")
        int rehearsalPerStep();

        @WithDefault("8")
        int lastTargets();

        @WithDefault("4")
        int publishEverySteps();

        /**
         * Or as soon as an event a step trained on would have waited this long since ingest by the end of the
         * next step.
         */
        @WithDefault("PT0.5S")
        Duration publishWithin();

        @WithDefault("100000")
        int rehearsalCapacity();

        /** A new item stands for itself in histories once its embedding is this big (of the median item's). */
        @WithDefault("0.5")
        double matureFraction();

        /**
         * Users with untrained events the trainer holds at most: past it (or max-pending-bytes) the one waiting
         * longest is dropped unstepped (worker_training_pending_dropped), so a stream of more users than
         * training takes does not grow the trainer.
         */
        @WithDefault("100000")
        int maxPendingUsers();

        /** The same bound in bytes (each user's id and ingest times). */
        @WithDefault("67108864")
        long maxPendingBytes();
    }

    /** Checkpoints of the whole state in object storage (model-store), and recovery from them on start. */
    interface Checkpoint {
        /**
         * {@code file:///path} or {@code s3://bucket/prefix}. Without one the worker keeps no checkpoints
         * and rebuilds its state by replaying the feedback log from the beginning on every start.
         */
        Optional<String> store();

        /** A checkpoint at least this often while events arrive. */
        @WithDefault("PT30S")
        Duration interval();

        /** ... and after this many events, whichever comes first. */
        @WithDefault("20000")
        long events();

        /** How often a replica looks for a newer checkpoint. */
        @WithDefault("PT5S")
        Duration poll();

        /** Checkpoints kept; older ones are deleted. */
        @WithDefault("3")
        int retain();

        /**
         * Start with no state when the store holds checkpoints but none reads back (every one damaged). Off by
         * default: the start fails and says why, since a fresh start replays only what the log still holds.
         */
        @WithDefault("false")
        boolean startFreshOverDamaged();

        /** Write one more on graceful shutdown, so a restart replays nothing. */
        @WithDefault("true")
        boolean onShutdown();

        /** After a failed checkpoint, the next try waits this long, doubling up to {@link #maxBackoff()}. */
        @WithDefault("PT1S")
        Duration backoff();

        @WithDefault("PT60S")
        Duration maxBackoff();

        S3 s3();

        /** How to reach an s3: store; on AWS only the region is needed (credentials: the default chain). */
        interface S3 {
            /** An S3-compatible server's endpoint (S3Proxy, MinIO); empty for AWS. */
            Optional<java.net.URI> endpoint();

            @WithDefault("us-east-1")
            String region();

            /** Path-style addressing (most S3-compatible servers need it). */
            @WithDefault("false")
            boolean pathStyle();

            Optional<String> accessKey();

            Optional<String> secretKey();

            /** The most one store call may take, retries included. */
            @WithDefault("PT10S")
            Duration timeout();
        }
    }

    interface Scoring {
        @WithDefault("score-requests")
        String requestTopic();

        /** Where replies go when a request names no reply topic. */
        @WithDefault("score-replies")
        String replyTopic();

        @WithDefault("gpu-worker-scoring")
        String groupId();

        /** Most requests scored in one pass. */
        @WithDefault("256")
        int maxBatch();

        /** Requests older than this are dropped unanswered: their caller has given up. */
        @WithDefault("PT10S")
        Duration maxRequestAge();

        /**
         * Read-your-writes: before answering user and re-rank requests, each scoring batch waits until the worker
         * has applied the feedback log up to its end as of the batch (one offset lookup per batch), at most this
         * long; an answer given when the bound ran out says {@code "behind": true}. Zero: no wait.
         */
        @WithDefault("PT1S")
        Duration readYourWritesWait();

        /**
         * The longest sending a reply may block the scoring loop (Kafka's max.block.ms): a reply address
         * naming a partition that does not exist must not stall it for the producer's default minute.
         */
        @WithDefault("PT2S")
        Duration replyMaxBlock();
    }
}

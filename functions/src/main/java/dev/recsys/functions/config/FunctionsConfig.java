package dev.recsys.functions.config;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import dev.recsys.wire.validation.WireLimits;

@ConfigMapping(prefix = "functions")
public interface FunctionsConfig {

    Ingest ingest();

    /**
     * The calls this instance answers, by name ({@code ingest}, {@code items}, {@code forget-user},
     * {@code recommend}, {@code recommend-session}, {@code rerank}, {@code similar-items}); absent: all of them.
     * On AWS each call is its own Lambda with an IAM role for its topics only, so each starts only the Kafka
     * clients its calls need: the scoring channel (a producer and the reply consumer) only with a scoring call
     * ({@link #scoringChannel()}), the transactional publisher only when a write call is first made. Another
     * call is answered 404.
     */
    Optional<java.util.Set<String>> calls();

    /**
     * Whether the score-requests channel starts ({@code mp.messaging.outgoing.score-requests.enabled} reads
     * it). Must be false exactly where {@link #calls()} names no scoring call; the functions refuse to start
     * otherwise, so the two settings cannot drift apart.
     */
    @WithDefault("true")
    boolean scoringChannel();

    /**
     * Whether to run each served call's request path once at start (JSON, validation, (de)serialisation;
     * nothing published): on Lambda that happens before the SnapStart snapshot, so restored instances start warm.
     */
    @WithDefault("true")
    boolean prime();

    Items items();

    /** The item catalogue's door: {@code POST /items}. Batch and id limits are ingest's. */
    interface Items {
        /** Compacted, keyed by item id; the worker reads it whole at start. */
        @WithDefault("items")
        String topic();
    }

    Recommend recommend();

    /** The scoring calls: recommend, recommend-session, rerank, similar-items. */
    interface Recommend {
        /**
         * How long a call waits for the worker's reply before it is answered 504; also the request-reply
         * channel's own timeout ({@code mp.messaging.outgoing.score-requests.reply.timeout} reads it).
         */
        @WithDefault("2000")
        long replyTimeoutMs();
    }

    Auth auth();

    /** Who may call the functions. */
    interface Auth {
        /**
         * API keys a request may carry in {@link #header()}: {@code KEY} (every scope) or
         * {@code KEY:scope+scope} ({@code ingest}: /ingest and /forget-user; {@code catalogue}: /items;
         * {@code recommend}: the scoring calls). A key used outside its scopes is answered 403.
         */
        Optional<List<String>> apiKeys();

        /**
         * A Secrets Manager secret (ARN or name) whose value is more accepted keys: a JSON array of strings
         * written as {@link #apiKeys()}. Read at start (if it cannot be read the functions do not start) and
         * again when older than {@link #refresh()}, so keys rotate without a redeploy.
         */
        Optional<String> apiKeysSecret();

        /**
         * How old the secret's keys may get before a request re-reads them: a revoked key stops working within
         * this. A secret that cannot be re-read for three times this refuses every request (503).
         */
        @WithDefault("PT1M")
        Duration refresh();

        /**
         * Whether to start with no key at all, accepting every request. Off: with no key configured the
         * functions refuse to start (fail closed). The local stack and tests turn it on; a deployment must not.
         */
        @WithDefault("false")
        boolean open();

        /** Secrets Manager's endpoint, for a stand-in; empty: AWS's, for the region in AWS_REGION. */
        Optional<java.net.URI> secretsEndpoint();

        /** Bounds connecting to Secrets Manager and each read; the whole call gets twice that. */
        @WithDefault("PT5S")
        Duration secretsTimeout();

        @WithDefault("X-Api-Key")
        String header();

        /** Path prefixes served without a key (health, for load balancers and probes); empty: none. */
        @WithDefault("/q/health")
        List<String> openPaths();
    }

    interface Ingest {
        @WithDefault("feedback")
        String topic();

        /** Events in one ingest call; more is answered 413. */
        @WithDefault("1000")
        int maxBatch();

        /** Longest user, item, event or category id (the worker applies its own, equal by default). */
        @WithDefault("" + WireLimits.DEFAULT_MAX_ID_LENGTH)
        int maxIdLength();

        /** How far ahead of this clock an event's timestamp may be. */
        @WithDefault("P1D")
        Duration maxClockSkew();

        /** The bounds the wire validators apply, from the two settings above. */
        default WireLimits limits() {
            return new WireLimits(maxIdLength(), maxClockSkew().toMillis());
        }

        /** Bounds every broker call of the publisher, so a dead broker gives 503 in bounded time. */
        @WithDefault("PT2S")
        Duration brokerTimeout();

        /** Events waiting to be published beyond which new batches are refused with 503. */
        @WithDefault("200000")
        int maxQueuedEvents();

        /** Events committed in one transaction at most (several requests share one). */
        @WithDefault("20000")
        int maxEventsPerTransaction();
    }
}

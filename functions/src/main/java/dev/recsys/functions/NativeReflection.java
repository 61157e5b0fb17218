package dev.recsys.functions;

import io.quarkus.runtime.annotations.RegisterForReflection;

import dev.recsys.wire.Evidence;
import dev.recsys.wire.FeedbackEvent;
import dev.recsys.wire.FeedbackType;
import dev.recsys.wire.ItemUpdate;
import dev.recsys.wire.ScoreReply;
import dev.recsys.wire.ScoreRequest;
import dev.recsys.wire.ScoredItem;
import dev.recsys.wire.validation.Violation;

/**
 * What Jackson reads and writes by reflection beyond the functions' own parameters and results, which
 * Funqy registers itself: the Kafka messages (the wire records) and the error bodies. A native image keeps
 * only what is registered; in JVM mode this changes nothing.
 */
@RegisterForReflection(targets = { FeedbackEvent.class, FeedbackType.class, ScoreRequest.class,
        ScoreRequest.Kind.class, ScoreReply.class, ScoreReply.Error.class, ScoredItem.class, Evidence.class,
        ItemUpdate.class, Violation.class, WriteFunctions.IngestResult.class, WriteFunctions.ItemsResult.class,
        WriteFunctions.ForgetResult.class, dev.recsys.wire.ForgetUser.class })
final class NativeReflection {

    private NativeReflection() {
    }
}

package dev.recsys.core.sasrec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

class SnapshotPublisherTest {

    @Test
    void theAgeOfWhatWaitsToBeServedIsItsOldestEventsAndAPublishClearsIt() {
        List<long[]> told = new ArrayList<>();
        TrainingListener listener = new TrainingListener() {
            @Override
            public void published(ModelSnapshot snapshot, long[] ingestedAtMillis) {
                told.add(ingestedAtMillis);
            }
        };
        // Ingest times after the publisher started (earlier ones are not told): a clock ahead of this one.
        long now = System.currentTimeMillis() + 60_000;
        try (ServingModel serving = new ServingModel();
                SasRecModel model = SasRecModel.create(OnlineTrainerTest.CONFIG, 5)) {
            SnapshotPublisher publisher = new SnapshotPublisher(serving, listener, "p", 0);
            assertEquals(0, publisher.unpublishedAgeMillis(now), "nothing trained, nothing waits");
            publisher.stepped(List.of(now - 200, now - 700));
            publisher.stepped(List.of(now - 300));
            assertEquals(700, publisher.unpublishedAgeMillis(now), "the oldest of both steps");
            assertEquals(2, publisher.unpublishedSteps());
            publisher.publish(model, 2, 5);
            assertEquals(0, publisher.unpublishedAgeMillis(now));
            assertEquals(0, publisher.unpublishedSteps());
            assertArrayEquals(new long[] { now - 200, now - 700, now - 300 }, told.get(0));
            assertEquals("p+2", serving.version().orElseThrow());
        }
    }

    @Test
    void itPublishesBeforeTheNextStepWouldCarryATrainedEventPastTheDeadline() {
        long now = System.currentTimeMillis() + 60_000;
        // Every 4 steps, or within 500 ms of ingest.
        OnlineTrainingConfig config = new OnlineTrainingConfig(16, 16, 8, 4, 500, 1000, 0.5);
        try (ServingModel serving = new ServingModel()) {
            SnapshotPublisher publisher = new SnapshotPublisher(serving, new TrainingListener() {
            }, "p", 0);
            assertEquals(false, publisher.due(config, true, now, 0), "nothing trained: nothing to publish");
            publisher.stepped(List.of(now - 300));
            assertEquals(true, publisher.due(config, true, now, 0), "the queue ran dry");
            // 300 ms old: a 150 ms step ends at 450, under the deadline; a 250 ms one at 550, past it.
            assertEquals(false, publisher.due(config, false, now, 150));
            assertEquals(true, publisher.due(config, false, now, 250));
            assertEquals(true, publisher.due(config, false, now + 200, 0), "past the deadline already");
            publisher.stepped(List.of(now));
            publisher.stepped(List.of(now));
            assertEquals(false, publisher.due(config, false, now, 0), "3 steps of 4");
            publisher.stepped(List.of(now));
            assertEquals(true, publisher.due(config, false, now, 0), "the fourth step");
        }
    }
}

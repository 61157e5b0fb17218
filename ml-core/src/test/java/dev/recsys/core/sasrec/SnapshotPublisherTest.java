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
}

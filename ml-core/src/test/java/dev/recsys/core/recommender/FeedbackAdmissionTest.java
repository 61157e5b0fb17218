package dev.recsys.core.recommender;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import java.util.List;

import org.junit.jupiter.api.Test;

import dev.recsys.core.AppliedEventIds;
import dev.recsys.core.FeedbackWeights;
import dev.recsys.core.ForgottenUsers;
import dev.recsys.core.PopularityScorer;
import dev.recsys.core.UserHistories;
import dev.recsys.wire.FeedbackEvent;
import dev.recsys.wire.FeedbackType;

class FeedbackAdmissionTest {

    final UserHistories histories = new UserHistories(50, 50);
    final Recommender recommender = Recommender.popularityOnly(histories, new PopularityScorer(86_400_000L, 0),
            FeedbackWeights.defaults());
    final AppliedEventIds ids = new AppliedEventIds(100, 60_000);
    final ForgottenUsers forgotten = new ForgottenUsers();
    final FeedbackAdmission admission = new FeedbackAdmission(recommender, ids, forgotten, 2);

    static FeedbackEvent click(String id, String user, String item) {
        return new FeedbackEvent(id, user, item, FeedbackType.CLICK, null, 1_000);
    }

    @Test
    void anEventIsAppliedOnceARetryIsADuplicateAndAnIdlessOneIsNeverOne() {
        assertInstanceOf(FeedbackAdmission.Applied.class, admission.event(click("e1", "u1", "a"), false, 1, true, 10));
        assertInstanceOf(FeedbackAdmission.Duplicate.class, admission.event(click("e1", "u1", "a"), false, 1, true, 11));
        assertInstanceOf(FeedbackAdmission.Applied.class, admission.event(click("e1", "u2", "a"), false, 1, true, 12),
                "ids are scoped by user");
        assertInstanceOf(FeedbackAdmission.Applied.class, admission.event(click("p@7", "u1", "a"), true, 1, true, 13));
        assertInstanceOf(FeedbackAdmission.Applied.class, admission.event(click("p@7", "u1", "a"), true, 1, true, 14),
                "a position-made id is the same on replay and never remembered");
        assertEquals(List.of("a", "a", "a"), histories.snapshot("u1").sequence());
    }

    @Test
    void aNewItemPastTheLimitIsRefusedAndChangesNothing() {
        admission.event(click("e1", "u1", "a"), false, 1, true, 10);
        admission.event(click("e2", "u1", "b"), false, 1, true, 10);
        var refused = assertInstanceOf(FeedbackAdmission.Refused.class,
                admission.event(click("e3", "u1", "c"), false, 1, true, 10));
        assertEquals("itemId", refused.field());
        assertEquals(List.of("a", "b"), histories.snapshot("u1").sequence());
        assertEquals(false, ids.contains("u1", "e3"), "a refused event's id is not remembered: its fix is applied");
    }

    @Test
    void aForgetDropsTheHistoryAndTheIdsSoTheSameEventAfterItIsApplied() {
        admission.event(click("e1", "u1", "a"), false, 1, true, 10);
        FeedbackAdmission.Forgot forgot = admission.forget("u1");
        assertEquals(new FeedbackAdmission.Forgot(true, 1), forgot);
        assertEquals(1, forgotten.requests());
        assertInstanceOf(FeedbackAdmission.Applied.class, admission.event(click("e1", "u1", "a"), false, 1, true, 20));
        assertEquals(List.of("a"), histories.snapshot("u1").sequence());
    }
}

package io.crossjobs.service.messaging;

import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.UniEmitter;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Rounds are driven by hand here: each round waits until the test finishes it. */
class RoundsTest {
    private final List<UniEmitter<? super Rounds.Next>> open = new ArrayList<>();
    private final AtomicReference<Throwable> failed = new AtomicReference<>();
    private final Rounds rounds = new Rounds(() -> Uni.createFrom().emitter(open::add), failed::set);

    private void finishRound(Rounds.Next next) {
        open.get(open.size() - 1).complete(next);
    }

    @Test
    void requestsDuringARoundMakeOneMoreRound() {
        rounds.request();
        rounds.request();
        rounds.request();
        assertEquals(1, open.size(), "one round at a time");

        finishRound(Rounds.Next.DONE);
        assertEquals(2, open.size(), "the requests during it make one more");
        finishRound(Rounds.Next.DONE);
        assertEquals(2, open.size(), "and no more");
    }

    @Test
    void aRoundWithMoreToDoIsFollowedAtOnce() {
        rounds.request();
        finishRound(Rounds.Next.AGAIN);
        finishRound(Rounds.Next.AGAIN);
        finishRound(Rounds.Next.DONE);

        assertEquals(3, open.size());
    }

    @Test
    void aRoundThatWaitsIsNotRepeatedUntilTheNextRequest() {
        rounds.request();
        rounds.request();
        finishRound(Rounds.Next.WAIT);
        assertEquals(1, open.size(), "a failed send is not retried in a loop");

        rounds.request();
        assertEquals(2, open.size());
    }

    @Test
    void aFailedRoundIsReportedAndTheNextRequestRunsAgain() {
        rounds.request();
        open.get(0).fail(new IllegalStateException("database away"));
        assertEquals("database away", failed.get().getMessage());

        rounds.request();
        assertEquals(2, open.size());
    }

    @Test
    void afterStopNoRoundStarts() {
        rounds.request();
        rounds.stop();
        rounds.request();
        finishRound(Rounds.Next.AGAIN);

        assertEquals(1, open.size());
    }
}

package io.crossjobs.provisioner.messaging;

import io.crossjobs.events.CancelRequested;
import io.crossjobs.events.JobEvent;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class AnswerSenderTest {
    private static final JobEvent COMMAND = new CancelRequested("j1", "controller", Instant.EPOCH);
    private static final JobEvent ANSWER = new CancelRequested("j1", "provisioner", Instant.EPOCH);
    private static final AnswerSender.Backoff QUICK = new AnswerSender.Backoff(Duration.ofMillis(1),
            Duration.ofMillis(4));

    @Test
    void anAnswerKafkaRefusesIsSentAgainUntilItIsTaken() throws Exception {
        List<JobEvent> sent = new CopyOnWriteArrayList<>();
        AtomicInteger refusals = new AtomicInteger(3);
        AnswerSender sender = new AnswerSender(answer -> {
            sent.add(answer);
            return refusals.getAndDecrement() > 0 ? refused() : CompletableFuture.completedFuture(null);
        }, QUICK, () -> false);

        sender.send(COMMAND, ANSWER).toCompletableFuture().get(10, TimeUnit.SECONDS);

        assertEquals(List.of(ANSWER, ANSWER, ANSWER, ANSWER), sent, "three refusals, then taken");
    }

    @Test
    void aStoppingProvisionerGivesUpSoThatTheCommandIsLeftForTheRestart() {
        AtomicBoolean stopping = new AtomicBoolean(false);
        AtomicInteger attempts = new AtomicInteger();
        AnswerSender sender = new AnswerSender(answer -> {
            if (attempts.incrementAndGet() == 2) stopping.set(true);
            return refused();
        }, QUICK, stopping::get);

        ExecutionException e = assertThrows(ExecutionException.class,
                () -> sender.send(COMMAND, ANSWER).toCompletableFuture().get(10, TimeUnit.SECONDS));
        assertEquals("broker unreachable", e.getCause().getMessage());
        assertEquals(2, attempts.get());
    }

    @Test
    void theWaitDoublesUpToItsMaximum() {
        assertEquals(Duration.ofMillis(2), QUICK.after(Duration.ofMillis(1)));
        assertEquals(Duration.ofMillis(4), QUICK.after(Duration.ofMillis(2)));
        assertEquals(Duration.ofMillis(4), QUICK.after(Duration.ofMillis(4)));
    }

    private static CompletionStage<Void> refused() {
        return CompletableFuture.failedFuture(new IllegalStateException("broker unreachable"));
    }
}

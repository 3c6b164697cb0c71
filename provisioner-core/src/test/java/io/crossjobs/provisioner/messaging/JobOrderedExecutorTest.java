package io.crossjobs.provisioner.messaging;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class JobOrderedExecutorTest {

    @Test
    void eachJobsWorkRunsInOrderWhileJobsRunSideBySide() throws Exception {
        Map<String, List<Integer>> seen = new ConcurrentHashMap<>();
        AtomicInteger running = new AtomicInteger();
        AtomicInteger mostAtOnce = new AtomicInteger();
        List<CompletableFuture<Void>> all = new ArrayList<>();
        // the first piece of each of two jobs waits for the other: they finish only if they run at the same time
        CountDownLatch bothStarted = new CountDownLatch(2);
        try (JobOrderedExecutor executor = new JobOrderedExecutor("test", 8, 32)) {
            for (int i = 0; i < 400; i++) {
                String job = "job-" + (i % 10);
                int n = i;
                all.add(executor.submit(job, () -> {
                    mostAtOnce.accumulateAndGet(running.incrementAndGet(), Math::max);
                    if (n < 2) {
                        bothStarted.countDown();
                        await(bothStarted);
                    }
                    seen.computeIfAbsent(job, j -> Collections.synchronizedList(new ArrayList<>())).add(n);
                    running.decrementAndGet();
                    return CompletableFuture.completedFuture(null);
                }));
            }
            CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).get(1, TimeUnit.MINUTES);
        }
        for (int j = 0; j < 10; j++) {
            List<Integer> order = seen.get("job-" + j);
            assertEquals(40, order.size());
            for (int k = 1; k < order.size(); k++) assertTrue(order.get(k - 1) < order.get(k), "job-" + j + ": " + order);
        }
        assertTrue(mostAtOnce.get() > 1, "different jobs ran side by side");
        assertTrue(mostAtOnce.get() <= 8, "never more than the pool");
    }

    @Test
    void aFailedPieceDoesNotStopItsJobsLaterWorkAndSubmitWaitsForRoom() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        try (JobOrderedExecutor executor = new JobOrderedExecutor("test", 2, 2)) {
            CompletableFuture<Void> failed = executor.submit("a", () -> {
                await(release);
                return CompletableFuture.failedFuture(new IllegalStateException("cloud said no"));
            });
            CompletableFuture<Void> later = executor.submit("a", () -> CompletableFuture.completedFuture(null));
            // both places taken: a third submit waits until one is done
            CompletableFuture<Void> third = CompletableFuture.runAsync(() -> {
                try {
                    executor.submit("b", () -> CompletableFuture.completedFuture(null)).join();
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            });
            org.awaitility.Awaitility.await().during(java.time.Duration.ofMillis(200))
                    .atMost(java.time.Duration.ofSeconds(2)).until(() -> !third.isDone());
            release.countDown();
            later.get(10, TimeUnit.SECONDS);
            third.get(10, TimeUnit.SECONDS);
            assertTrue(failed.isCompletedExceptionally());
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

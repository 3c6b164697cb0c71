package io.crossjobs.provisioner.messaging;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * Runs blocking work on a fixed pool, many jobs' work side by side but each job's in the order it was submitted.
 * At most {@code maxPending} pieces are queued or running; {@link #submit} blocks the caller (the Kafka consumer)
 * until there is room, so the records it has handed over but not acknowledged stay few and young.
 */
final class JobOrderedExecutor implements AutoCloseable {
    private final ExecutorService pool;
    private final Semaphore room;
    private final Map<String, CompletableFuture<Void>> tails = new ConcurrentHashMap<>();

    JobOrderedExecutor(String name, int threads, int maxPending) {
        AtomicInteger n = new AtomicInteger();
        this.pool = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, name + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        this.room = new Semaphore(maxPending);
    }

    /**
     * Queues {@code work} behind the earlier work of {@code jobId}; it runs on the pool and its stage's outcome is the
     * returned one's. An earlier piece's failure does not stop the later ones.
     */
    CompletableFuture<Void> submit(String jobId, Supplier<CompletionStage<Void>> work) throws InterruptedException {
        room.acquire();
        CompletableFuture<Void> done = new CompletableFuture<>();
        CompletableFuture<Void> previous = tails.put(jobId, done);
        CompletableFuture<Void> after = previous == null ? CompletableFuture.completedFuture(null)
                : previous.handle((ok, failed) -> null);
        after.thenComposeAsync(ignored -> work.get(), pool).whenComplete((ok, failure) -> {
            tails.remove(jobId, done);
            room.release();
            if (failure == null) done.complete(null);
            else done.completeExceptionally(failure);
        });
        return done;
    }

    @Override
    public void close() throws InterruptedException {
        pool.shutdown();
        pool.awaitTermination(10, TimeUnit.SECONDS);
    }
}

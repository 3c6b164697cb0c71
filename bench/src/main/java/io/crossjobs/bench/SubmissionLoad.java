package io.crossjobs.bench;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntFunction;

/**
 * Submissions at a fixed offered rate (open loop: each request's latency counts from when it was due, so a
 * slow server cannot hide its queue) or at saturation (closed loop: a fixed number of requests in flight).
 */
final class SubmissionLoad {
    private SubmissionLoad() { }

    /** {@code total} submissions, one due every 1/{@code perSecond} s. */
    static Result openLoop(JobApi api, int perSecond, int total, IntFunction<String> body) throws Exception {
        Result result = new Result();
        long interval = 1_000_000_000L / Math.max(1, perSecond);
        long start = System.nanoTime();
        List<java.util.concurrent.CompletableFuture<?>> inFlight = new CopyOnWriteArrayList<>();
        for (int i = 0; i < total; i++) {
            long due = start + i * interval;
            LockSupport.parkNanos(due - System.nanoTime());
            inFlight.add(api.submit(body.apply(i)).whenComplete((a, e) -> result.record(a, System.nanoTime() - due)));
        }
        for (var f : inFlight) {
            try {
                f.get(2, TimeUnit.MINUTES);
            } catch (Exception e) {
                result.errors.incrementAndGet();
            }
        }
        result.elapsedNanos = System.nanoTime() - start;
        return result;
    }

    static Result closedLoop(JobApi api, int concurrency, int seconds, IntFunction<String> body)
            throws InterruptedException {
        Result result = new Result();
        AtomicInteger next = new AtomicInteger();
        long start = System.nanoTime();
        long end = start + TimeUnit.SECONDS.toNanos(seconds);
        Thread[] users = new Thread[concurrency];
        for (int u = 0; u < concurrency; u++) {
            users[u] = new Thread(() -> {
                while (System.nanoTime() < end) {
                    long t0 = System.nanoTime();
                    try {
                        result.record(api.submit(body.apply(next.getAndIncrement())).get(2, TimeUnit.MINUTES),
                                System.nanoTime() - t0);
                    } catch (Exception e) {
                        result.errors.incrementAndGet();
                    }
                }
            }, "bench-user-" + u);
            users[u].start();
        }
        for (Thread t : users) t.join();
        result.elapsedNanos = System.nanoTime() - start;
        return result;
    }

    /** Accept latencies, the accepted jobs (id → time job-api stored them) and what was refused. */
    static final class Result {
        final Latencies accept = new Latencies();
        final Map<String, java.time.Instant> accepted = new ConcurrentHashMap<>();
        final AtomicInteger refused = new AtomicInteger();
        final AtomicInteger errors = new AtomicInteger();
        long elapsedNanos;

        private void record(JobApi.Accepted a, long latencyNanos) {
            if (a == null) {
                errors.incrementAndGet();
            } else if (a.ok()) {
                accept.add(latencyNanos);
                accepted.put(a.jobId(), a.submittedAt());
            } else {
                refused.incrementAndGet();
            }
        }

        double acceptedPerSecond() {
            return Math.round(accepted.size() / (elapsedNanos / 1e9) * 10) / 10d;
        }
    }
}

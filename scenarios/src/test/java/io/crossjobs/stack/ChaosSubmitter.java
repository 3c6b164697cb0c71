package io.crossjobs.stack;

import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import static org.awaitility.Awaitility.await;

/**
 * Submits jobs the way a careful client script does while job-api may die under it: every submit carries an
 * Idempotency-Key, and one whose answer was lost (refused, reset, timed out, 5xx) is sent again with the same
 * key until job-api answers 201 (created) or 200 (the job that key created before).
 */
final class ChaosSubmitter {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** What job-api answered for one key: the job id, and how many sends it took. */
    record Accepted(String key, String jobId, int sends, int status) { }

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final String base;
    private final String token;
    private final Map<String, Accepted> accepted = new ConcurrentHashMap<>();
    /** System.nanoTime() of every successful answer, for the stall after a job-api kill. */
    private final List<Long> answeredAt = new CopyOnWriteArrayList<>();
    private final AtomicInteger retries = new AtomicInteger();
    private final AtomicInteger replays = new AtomicInteger();

    ChaosSubmitter(StackConfig config, String token) {
        this.base = "http://127.0.0.1:" + config.jobApiPort();
        this.token = token;
    }

    /** Sends until job-api answers (every 250 ms); fails (ConditionTimeoutException) after {@code patience}. */
    Accepted submit(String key, String json, Duration patience) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(base + "/jobs"))
                .timeout(Duration.ofSeconds(10))
                .header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json")
                .header("Idempotency-Key", key)
                .POST(HttpRequest.BodyPublishers.ofString(json)).build();
        AtomicInteger sends = new AtomicInteger();
        return await("job-api answers the submit of " + key).atMost(patience).pollDelay(Duration.ZERO)
                .pollInterval(Duration.ofMillis(250))
                .until(() -> send(key, request, sends.incrementAndGet()), a -> a != null);
    }

    /** One send: the accepted job, or null when the answer was lost or was a 5xx (try again). */
    private Accepted send(String key, HttpRequest request, int sendNumber) throws InterruptedException {
        if (sendNumber > 1) retries.incrementAndGet();
        try {
            HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() >= 500) return null;
            if (r.statusCode() != 201 && r.statusCode() != 200) {
                throw new IllegalStateException("job-api refused " + key + ": " + r.statusCode() + " " + r.body());
            }
            answeredAt.add(System.nanoTime());
            if (r.statusCode() == 200) replays.incrementAndGet();
            Accepted a = new Accepted(key, JSON.readTree(r.body()).path("id").asText(), sendNumber, r.statusCode());
            accepted.put(key, a);
            return a;
        } catch (IOException e) {
            return null;
        }
    }

    Map<String, Accepted> accepted() { return Map.copyOf(accepted); }

    int retries() { return retries.get(); }

    /** Answers 200: a retried submit whose first send had created the job. */
    int replays() { return replays.get(); }

    /** The first successful answer at or after {@code sinceNanos}, if any. */
    java.util.Optional<Long> firstAnswerSince(long sinceNanos) {
        return answeredAt.stream().filter(t -> t >= sinceNanos).findFirst();
    }
}

package io.crossjobs.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;

/**
 * {@code POST /jobs/cancel?all=true} over every live job at once, as {@code crossjobs cancel --all} sends it: how
 * long job-api takes to answer, how long until the subscriber saw every job end, and until mock-cloud holds no live
 * instance of a job any more (the controller's own VM lives on).
 */
final class BulkCancel {
    private static final ObjectMapper JSON = new ObjectMapper();

    private BulkCancel() { }

    static BenchReport.BulkCancel run(int jobApiPort, String token, int mockCloudPort, LineTracer tracer,
                                      Duration timeout) throws IOException, InterruptedException {
        HttpClient http = HttpClient.newHttpClient();
        int liveBefore = tracer.liveJobs();
        long t0 = System.nanoTime();
        HttpResponse<String> answer = http.send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + jobApiPort + "/jobs/cancel?all=true"))
                .header("Authorization", "Bearer " + token).POST(HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString());
        double answerMs = (System.nanoTime() - t0) / 1e6;
        if (answer.statusCode() != 200) {
            throw new IllegalStateException("cancel --all answered " + answer.statusCode() + ": " + answer.body());
        }
        Set<String> ids = new HashSet<>();
        JSON.readTree(answer.body()).path("requested").forEach(id -> ids.add(id.asText()));
        Benchmark.say("bulk cancel: %d jobs asked to cancel in %.0f ms (%d live)", ids.size(), answerMs, liveBefore);
        Double allEnded = seconds(t0, Benchmark.await(timeout, () -> ids.stream().allMatch(tracer::finished),
                () -> { }, () -> String.format("  %d of %d cancelled jobs not ended yet",
                        ids.stream().filter(id -> !tracer.finished(id)).count(), ids.size())));
        URI inventory = URI.create("http://127.0.0.1:" + mockCloudPort + "/mock/inventory?alive=true&role=job");
        Double clustersGone = seconds(t0, Benchmark.await(timeout, () -> aliveInstances(http, inventory) == 0,
                () -> { }, () -> "  " + aliveInstances(http, inventory) + " job instances still alive"));
        return new BenchReport.BulkCancel(liveBefore, ids.size(), answerMs, allEnded, clustersGone);
    }

    /** Seconds from {@code t0} to the end of a wait that took {@code waitedMs} after it; null when it timed out. */
    private static Double seconds(long t0, long waitedMs) {
        return waitedMs < 0 ? null : (System.nanoTime() - t0) / 1e9;
    }

    private static int aliveInstances(HttpClient http, URI inventory) {
        try {
            JsonNode vms = JSON.readTree(http.send(HttpRequest.newBuilder(inventory).build(),
                    HttpResponse.BodyHandlers.ofString()).body());
            return vms.size();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }
}

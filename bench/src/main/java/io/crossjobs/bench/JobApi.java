package io.crossjobs.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;

/** job-api as the load generator sees it: submissions of simulated jobs, and nothing else. */
final class JobApi {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();
    private final URI jobs;
    private final String token;

    JobApi(int port, String token) {
        this.jobs = URI.create("http://127.0.0.1:" + port + "/jobs");
        this.token = token;
    }

    /** A job whose (simulated) run lasts {@code runMillis} and exits 0, placed on AWS like most of a burst. */
    static String simulatedJob(String name, long runMillis) {
        return "{\"name\":\"" + name + "\",\"run\":\"echo simulated\",\"resources\":{\"cloud\":\"aws\"},"
                + "\"envs\":{\"CROSSJOBS_SIM_DURATION_MS\":\"" + runMillis + "\"}}";
    }

    CompletableFuture<Accepted> submit(String body) {
        HttpRequest request = HttpRequest.newBuilder(jobs).timeout(Duration.ofSeconds(60))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
        return http.sendAsync(request, HttpResponse.BodyHandlers.ofString()).thenApply(JobApi::accepted);
    }

    private static Accepted accepted(HttpResponse<String> response) {
        if (response.statusCode() != 201) return new Accepted(response.statusCode(), null, null);
        try {
            JsonNode job = JSON.readTree(response.body());
            return new Accepted(201, job.path("id").asText(), Instant.parse(job.path("submittedAt").asText()));
        } catch (Exception e) {
            return new Accepted(-1, null, null);
        }
    }

    /** One answer: the HTTP status, and for a 201 the job's id and the time job-api stored it. */
    record Accepted(int status, String jobId, Instant submittedAt) {
        boolean ok() { return status == 201; }
    }
}

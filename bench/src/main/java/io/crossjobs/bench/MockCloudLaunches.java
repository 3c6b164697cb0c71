package io.crossjobs.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * When the cloud (mock-cloud) created each job's first instance: the end of the provisioner's hop. mock-cloud forgets
 * a terminated VM after a while, so its inventory is read again and again while the load drains.
 */
final class MockCloudLaunches {
    private final HttpClient http = HttpClient.newHttpClient();
    private final URI inventory;
    private final ObjectMapper json = new ObjectMapper();
    private final Map<String, Instant> firstByJob = new ConcurrentHashMap<>();

    MockCloudLaunches(int mockCloudPort) {
        inventory = URI.create("http://127.0.0.1:" + mockCloudPort + "/mock/inventory");
    }

    /** Reads the inventory and remembers each job's earliest launch seen so far. */
    void collect() {
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(inventory).build(),
                    HttpResponse.BodyHandlers.ofString());
            for (JsonNode vm : json.readTree(r.body())) {
                String job = vm.path("tags").path(io.crossjobs.events.CloudTags.JOB_ID).asText(null);
                if (job == null || vm.path("launchTime").isMissingNode()) continue;
                firstByJob.merge(job, Instant.parse(vm.path("launchTime").asText()), (a, b) -> a.isBefore(b) ? a : b);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    Map<String, Instant> byJob() {
        return Map.copyOf(firstByJob);
    }
}

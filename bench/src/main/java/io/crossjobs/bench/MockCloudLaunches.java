package io.crossjobs.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/** When the cloud (mock-cloud) created each job's first instance: the end of the provisioner's hop. */
final class MockCloudLaunches {
    private MockCloudLaunches() { }

    static Map<String, Instant> byJob(int mockCloudPort) throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + mockCloudPort + "/mock/inventory")).build(),
                HttpResponse.BodyHandlers.ofString());
        Map<String, Instant> first = new HashMap<>();
        for (JsonNode vm : new ObjectMapper().readTree(r.body())) {
            String job = vm.path("tags").path(io.crossjobs.events.CloudTags.JOB_ID).asText(null);
            if (job == null || vm.path("launchTime").isMissingNode()) continue;
            Instant launched = Instant.parse(vm.path("launchTime").asText());
            first.merge(job, launched, (a, b) -> a.isBefore(b) ? a : b);
        }
        return first;
    }
}

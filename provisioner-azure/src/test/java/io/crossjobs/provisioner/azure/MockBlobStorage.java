package io.crossjobs.provisioner.azure;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.crossjobs.testsupport.MockCloudProcess;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

/**
 * The shared mock-cloud's Blob Storage front end as its admin API tells it ({@code GET /mock/blob}): the account's
 * endpoint, name and key, which the provisioner under test is configured with.
 */
record MockBlobStorage(String endpoint, String account, String accountKey) {
    private static MockBlobStorage shared;

    static synchronized MockBlobStorage shared() {
        if (shared == null) {
            try {
                HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create(MockCloudProcess.shared().endpoint() + "/mock/blob"))
                        .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() != 200) throw new IllegalStateException("GET /mock/blob answered " + r.statusCode());
                JsonNode info = new ObjectMapper().readTree(r.body());
                shared = new MockBlobStorage(info.path("endpoint").asText(), info.path("accountName").asText(),
                        info.path("accountKey").asText());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        return shared;
    }

    /** The provisioner's {@code crossjobs.azure.storage.*} settings for it. */
    Map<String, String> settings(String container) {
        return Map.of("crossjobs.azure.storage.endpoint-override", endpoint,
                "crossjobs.azure.storage.account", account,
                "crossjobs.azure.storage.account-key", accountKey,
                "crossjobs.azure.storage.container", container);
    }
}

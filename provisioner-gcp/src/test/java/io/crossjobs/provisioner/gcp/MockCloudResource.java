package io.crossjobs.provisioner.gcp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.crossjobs.testsupport.MockCloudProcess;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;

/** Points the provisioner under test at the shared mock-cloud process: Compute Engine and Cloud Storage. */
public class MockCloudResource implements QuarkusTestResourceLifecycleManager {

    /** mock-cloud's Cloud Storage listener and the key file of the service account it verifies signatures of. */
    record Gcs(String endpoint, String keyFile) { }

    /** Asks mock-cloud's admin API ({@code GET /mock/gcs}): its listener takes any free port in tests. */
    static Gcs gcs() {
        try {
            HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create(MockCloudProcess.shared().endpoint() + "/mock/gcs")).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) throw new IllegalStateException("GET /mock/gcs answered " + r.statusCode());
            JsonNode info = new ObjectMapper().readTree(r.body());
            return new Gcs(info.path("endpoint").asText(), info.path("keyFile").asText());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public Map<String, String> start() {
        Gcs gcs = gcs();
        return Map.of(
                "crossjobs.gcp.endpoint-override", MockCloudProcess.shared().endpoint(),
                "crossjobs.gcp.storage-endpoint-override", gcs.endpoint(),
                "crossjobs.gcp.signing-credentials-file", gcs.keyFile(),
                "crossjobs.gcp.project", "flow-project",
                // each injected fault surfaces on the first call instead of being absorbed by the SDK's retries
                "crossjobs.gcp.sdk-max-attempts", "1");
    }

    @Override
    public void stop() {
        // the process lives as long as the test JVM: the adapter tests use it too
    }
}

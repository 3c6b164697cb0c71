package io.crossjobs.provisioner.aws;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.crossjobs.testsupport.Ports;
import io.crossjobs.testsupport.ProjectRoot;
import io.crossjobs.testsupport.ServiceProcess;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * mock-cloud as a child process, one per test JVM (the adapter tests and the Quarkus test share it), and its
 * admin API: faults, inventory, preemption.
 */
public final class MockCloud {
    private static MockCloud shared;

    private final int port;
    private final HttpClient http = HttpClient.newHttpClient();
    private final ObjectMapper json = new ObjectMapper()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    /** One instance as /mock/inventory shows it (the fields the tests look at). */
    public record Item(String id, String region, String zone, String state, String stateReasonCode,
                       Map<String, String> tags, boolean spot, String instanceType) { }

    private MockCloud(int port) {
        this.port = port;
    }

    public static synchronized MockCloud shared() {
        if (shared == null) {
            int port = Ports.free();
            Path root = ProjectRoot.find();
            try {
                ServiceProcess process = ServiceProcess.quarkusApp(root, "mock-cloud", Map.of(
                                "quarkus.http.port", Integer.toString(port),
                                "mock-cloud.boot-delay", "200ms",
                                "mock-cloud.shutdown-delay", "200ms",
                                "mock-cloud.kill-grace", "500ms",
                                "mock-cloud.tick-interval", "50ms"),
                        root.resolve("provisioner-aws/target/mock-cloud.log"));
                Runtime.getRuntime().addShutdownHook(new Thread(process::close));
                process.awaitHttpReady(port, Duration.ofSeconds(90));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            shared = new MockCloud(port);
        }
        return shared;
    }

    public String endpoint() { return "http://127.0.0.1:" + port; }

    /** The next {@code count} matching calls fail with {@code errorCode} (action null: RunInstances). */
    public void fault(String region, String action, String errorCode, int count) {
        Map<String, Object> spec = new java.util.HashMap<>(Map.of("cloud", "aws", "region", region,
                "errorCode", errorCode, "count", count));
        if (action != null) spec.put("action", action);
        send("POST", "/mock/faults", spec, 201);
    }

    public void clearFaults() { send("DELETE", "/mock/faults", null, 200); }

    public void preempt(String instanceId) { send("POST", "/mock/instances/" + instanceId + "/preempt", null, 202); }

    public List<Item> inventoryOfJob(String jobId) {
        String body = send("GET", "/mock/inventory?cloud=aws", null, 200);
        try {
            List<Item> all = json.readValue(body, new TypeReference<List<Item>>() { });
            return all.stream().filter(i -> jobId.equals(i.tags().get("crossjobs-job-id"))).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private String send(String method, String path, Object body, int expectedStatus) {
        try {
            HttpRequest.Builder req = HttpRequest.newBuilder(URI.create(endpoint() + path))
                    .timeout(Duration.ofSeconds(10));
            if (body == null) {
                req.method(method, HttpRequest.BodyPublishers.noBody());
            } else {
                req.header("Content-Type", "application/json")
                        .method(method, HttpRequest.BodyPublishers.ofString(json.writeValueAsString(body)));
            }
            HttpResponse<String> r = http.send(req.build(), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != expectedStatus) {
                throw new IllegalStateException(method + " " + path + " answered " + r.statusCode() + ": " + r.body());
            }
            return r.body();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}

package io.crossjobs.testsupport;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * mock-cloud as a child process, one per test JVM (an adapter's SDK tests and its Quarkus test share it),
 * with fast clocks, and a client of its admin API: faults, inventory, preemption.
 */
public final class MockCloudProcess {
    private static MockCloudProcess shared;

    private final int port;
    private final int httpsPort;
    private final Path stateDir;
    private final HttpClient http = HttpClient.newHttpClient();
    private final ObjectMapper json = new ObjectMapper().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    /** One instance as /mock/inventory shows it (the fields tests look at). */
    public record Item(String id, String name, String cloud, String region, String zone, String state,
                       String stateReasonCode, Map<String, String> tags, boolean spot, String instanceType) { }

    private MockCloudProcess(int port, int httpsPort, Path stateDir) {
        this.port = port;
        this.httpsPort = httpsPort;
        this.stateDir = stateDir;
    }

    public static synchronized MockCloudProcess shared() {
        if (shared == null) {
            int port = Ports.free();
            int httpsPort = Ports.free();
            Path root = ProjectRoot.find();
            try {
                Path stateDir = Files.createTempDirectory("crossjobs-mock-cloud-");
                ServiceProcess process = ServiceProcess.quarkusApp(root, "mock-cloud", Map.of(
                                "quarkus.http.port", Integer.toString(port),
                                "mock-cloud.arm.https-port", Integer.toString(httpsPort),
                                // any free ports: s3Endpoint(), gcs() and blob() ask mock-cloud which ones it bound
                                "mock-cloud.s3.port", "0",
                                "mock-cloud.gcs.port", "0",
                                "mock-cloud.blob.port", "0",
                                "mock-cloud.state-dir", stateDir.toString(),
                                "mock-cloud.boot-delay", "200ms",
                                // mock-cloud's own default: a spot interruption is listed as shutting-down, with its
                                // reason, for a second, which a busy machine's listing still catches
                                "mock-cloud.shutdown-delay", "1s",
                                "mock-cloud.kill-grace", "500ms",
                                "mock-cloud.tick-interval", "50ms"),
                        Path.of("target/mock-cloud.log").toAbsolutePath());
                Runtime.getRuntime().addShutdownHook(new Thread(process::close));
                process.awaitHttpReady(port, Duration.ofSeconds(90));
                shared = new MockCloudProcess(port, httpsPort, stateDir);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return shared;
    }

    /** EC2, GCE and the admin API. */
    public String endpoint() { return "http://127.0.0.1:" + port; }

    /** S3, on the listener mock-cloud bound for it. */
    public String s3Endpoint() {
        return frontEnd("s3").path("endpoint").asText();
    }

    /** Cloud Storage's listener, and the key file of the service account whose signatures it verifies. */
    public record Gcs(String endpoint, String keyFile) { }

    public Gcs gcs() {
        JsonNode info = frontEnd("gcs");
        return new Gcs(info.path("endpoint").asText(), info.path("keyFile").asText());
    }

    /** Azure Blob Storage: the storage account's endpoint, its name and its key. */
    public record Blob(String endpoint, String account, String accountKey) { }

    public Blob blob() {
        JsonNode info = frontEnd("blob");
        return new Blob(info.path("endpoint").asText(), info.path("accountName").asText(),
                info.path("accountKey").asText());
    }

    /** What mock-cloud's admin API says of a front end on a listener of its own ({@code GET /mock/<front end>}). */
    private JsonNode frontEnd(String name) {
        try {
            return json.readTree(send("GET", "/mock/" + name, null, 200));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** ARM's resource manager endpoint, over TLS with a certificate mock-cloud made at start. */
    public String armEndpoint() { return "https://127.0.0.1:" + httpsPort + "/"; }

    /** The PEM certificate of the ARM endpoint, for clients to trust. */
    public String armCertificate() { return stateDir.resolve("arm-tls/mock-cloud.pem").toString(); }

    /** The next {@code count} matching calls fail with {@code errorCode}; null fields match anything. */
    public void fault(String cloud, String region, String zone, String action, String errorCode, int count) {
        fault(cloud, region, zone, action, errorCode, count, null, null);
    }

    /** As above, answered with this HTTP status and message instead of the cloud's usual ones. */
    public void fault(String cloud, String region, String zone, String action, String errorCode, int count,
                      Integer httpStatus, String message) {
        Map<String, Object> spec = new HashMap<>(Map.of("cloud", cloud, "errorCode", errorCode, "count", count));
        if (region != null) spec.put("region", region);
        if (zone != null) spec.put("zone", zone);
        if (action != null) spec.put("action", action);
        if (httpStatus != null) spec.put("httpStatus", httpStatus);
        if (message != null) spec.put("message", message);
        send("POST", "/mock/faults", spec, 201);
    }

    public void clearFaults() { send("DELETE", "/mock/faults", null, 200); }

    public void preempt(String instanceId) { send("POST", "/mock/instances/" + instanceId + "/preempt", null, 202); }

    public List<Item> inventoryOfJob(String cloud, String jobId) {
        String body = send("GET", "/mock/inventory?cloud=" + cloud, null, 200);
        try {
            List<Item> all = json.readValue(body, new TypeReference<List<Item>>() { });
            return all.stream().filter(i -> jobId.equals(i.tags().get("crossjobs-job-id"))).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Keys of every object {@code cloud}'s object storage holds, as {@code bucket/key}. */
    public List<String> objectKeys(String cloud) {
        try {
            JsonNode buckets = json.readTree(send("GET", "/mock/objects?cloud=" + cloud, null, 200));
            List<String> keys = new java.util.ArrayList<>();
            for (JsonNode bucket : buckets) {
                for (JsonNode object : bucket.path("objects")) {
                    keys.add(bucket.path("name").asText() + "/" + object.path("key").asText());
                }
            }
            return keys;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** One cloud action's calls that mock-cloud served and refused for its request limits. */
    public record ApiCalls(String cloud, String action, long admitted, long throttled) { }

    /** Every action's calls since the start or the last {@link #refillLimits()}. */
    public List<ApiCalls> apiCalls() {
        try {
            return json.readValue(send("GET", "/mock/api-calls", null, 200), new TypeReference<List<ApiCalls>>() { });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The calls of {@code cloud}'s {@code action} so far (zero when none was made). */
    public ApiCalls apiCalls(String cloud, String action) {
        return apiCalls().stream().filter(c -> c.cloud().equals(cloud) && c.action().equals(action)).findFirst()
                .orElse(new ApiCalls(cloud, action, 0, 0));
    }

    /**
     * Sets one quota of the mock account ({@code region} {@code global} for GCE's all-regions quotas), as an
     * approved increase request would.
     */
    public void setQuota(String cloud, String region, String metric, int limit) {
        send("PUT", "/mock/quotas", Map.of("cloud", cloud, "region", region, "metric", metric, "limit", limit), 200);
    }

    /** The user data instance {@code id} was launched with, as anyone allowed to describe it reads it. */
    public String userData(String instanceId) {
        return send("GET", "/mock/instances/" + instanceId + "/user-data", null, 200);
    }

    /**
     * Breaks the mock account on {@code cloud} (mock-cloud's "Account faults"): a revoked key, permissions the
     * principal lacks, prerequisites it lacks ({@code default-vpc:<region>}, {@code network:<name>},
     * {@code resource-group:<name>}). Replaces what was set before for that cloud.
     */
    public void breakAccount(String cloud, boolean credentialsRevoked, List<String> deniedPermissions,
                             List<String> missing) {
        send("PUT", "/mock/account/" + cloud, Map.of("credentialsRevoked", credentialsRevoked,
                "deniedPermissions", deniedPermissions, "missing", missing), 200);
    }

    /** Every quota back to the mock account's defaults and configured limits. */
    public void resetQuotas() { send("DELETE", "/mock/quotas", null, 204); }

    /** Every cloud's mock account healthy again. */
    public void healAccounts() { send("DELETE", "/mock/account", null, 204); }

    /** Fills every request limit again and zeroes the counts, as an account nothing else calls. */
    public void refillLimits() { send("DELETE", "/mock/api-calls", null, 204); }

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

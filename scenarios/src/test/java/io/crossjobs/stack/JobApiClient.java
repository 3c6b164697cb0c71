package io.crossjobs.stack;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;

/**
 * The black-box tests' only way in: job-api's REST surface, as a user's script would use it. What the tests send
 * often (submits, and the reads they poll: a job's status, the list of jobs, logs, the controller) goes through
 * {@link HttpClient} and Jackson: rest-assured's {@link JsonPath} evaluates each path as a Groovy script (about
 * 5 ms of CPU a read, against a few microseconds with Jackson) and its request takes 2-6 ms of CPU against 0.3-0.7
 * ms, and the test JVMs had been the stack module's largest CPU user, polling.
 */
final class JobApiClient {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private final String base;
    private final String token;

    JobApiClient(StackConfig config, String token) {
        this.base = "http://127.0.0.1:" + config.jobApiPort();
        this.token = token;
    }

    /** As the stack's bootstrap admin. */
    static JobApiClient asAdmin() {
        return new JobApiClient(LocalStack.config(), LocalStack.adminToken());
    }

    private RequestSpecification request() {
        return given().baseUri(base).auth().oauth2(token);
    }

    /** Sends {@code request} with this client's token; the answer's body, which must come with {@code expected}. */
    private byte[] send(HttpRequest.Builder request, int expected) {
        HttpRequest r = request.header("Authorization", "Bearer " + token).timeout(Duration.ofSeconds(60)).build();
        try {
            HttpResponse<byte[]> answer = HTTP.send(r, HttpResponse.BodyHandlers.ofByteArray());
            if (answer.statusCode() != expected) {
                throw new AssertionError(r.method() + " " + r.uri() + " answered " + answer.statusCode() + ", not "
                        + expected + ": " + new String(answer.body(), StandardCharsets.UTF_8));
            }
            return answer.body();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private byte[] get(String path) {
        return send(HttpRequest.newBuilder(URI.create(base + path)), 200);
    }

    private String post(String contentType, byte[] body) {
        return read(send(HttpRequest.newBuilder(URI.create(base + "/jobs")).header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)), 201)).get("id").asText();
    }

    String submit(String json) {
        return post("application/json", json.getBytes(StandardCharsets.UTF_8));
    }

    /** A SkyPilot task YAML (several documents: a pipeline), as {@code sky jobs launch} users write it. */
    String submitYaml(String yaml) {
        return post("application/yaml", yaml.getBytes(StandardCharsets.UTF_8));
    }

    JsonPath job(String id) {
        return request().when().get("/jobs/" + id).then().statusCode(200).extract().jsonPath();
    }

    /** The job's status as {@code GET /jobs/{id}} shows it; null before it has one. */
    String status(String id) {
        JsonNode status = read(get("/jobs/" + id)).get("status");
        return status == null || status.isNull() ? null : status.asText();
    }

    /** Every job's status by id, from the list of jobs ({@code GET /jobs}), page by page. */
    Map<String, String> statuses() {
        Map<String, String> out = new LinkedHashMap<>();
        String cursor = null;
        do {
            JsonNode body = read(get("/jobs?limit=500" + (cursor == null ? ""
                    : "&cursor=" + java.net.URLEncoder.encode(cursor, StandardCharsets.UTF_8))));
            for (JsonNode job : body.path("items")) out.put(job.get("id").asText(), job.path("status").asText(null));
            cursor = body.path("nextCursor").asText(null);
        } while (cursor != null);
        return out;
    }

    List<Map<String, Object>> events(String id) {
        try {
            return JSON.readValue(get("/jobs/" + id + "/events"), new TypeReference<>() { });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    String logs(String id) {
        return new String(get("/jobs/" + id + "/logs"), StandardCharsets.UTF_8);
    }

    /** The output of node {@code rank} of the job. */
    String logs(String id, int rank) {
        return new String(get("/jobs/" + id + "/logs?node=" + rank), StandardCharsets.UTF_8);
    }

    JsonPath controller() {
        return request().when().get("/controller").then().statusCode(200).extract().jsonPath();
    }

    /** The controller's status ({@code GET /controller}) for polls: read with Jackson. */
    JsonNode controllerNow() {
        return read(get("/controller"));
    }

    /** Starts a migration; the answer (202, or 200 when already there) is the controller's status. */
    JsonPath migrateController(String cloud, String region) {
        return request().contentType(ContentType.JSON).body(Map.of("cloud", cloud, "region", region))
                .when().post("/controller/migrate").then().statusCode(org.hamcrest.Matchers.lessThan(300))
                .extract().jsonPath();
    }

    JsonPath cost() {
        return request().when().get("/cost").then().statusCode(200).extract().jsonPath();
    }

    /** What consumers parked, waiting for an admin (this client must be one). */
    List<Map<String, Object>> parkedEvents() {
        return request().get("/admin/parked-events?limit=1000").then().statusCode(200).extract().jsonPath()
                .getList("$");
    }

    void cancel(String id) {
        request().when().post("/jobs/" + id + "/cancel").then().statusCode(org.hamcrest.Matchers.lessThan(300));
    }

    /** Waits until the job has reached {@code status} (polled closely: some statuses are short). */
    void awaitStatus(String id, String status, Duration timeout) {
        await().atMost(timeout).pollInterval(Duration.ofMillis(100)).until(() -> status.equals(status(id)));
    }

    /** Waits until the job is in a terminal status and returns that status. */
    String awaitTerminal(String id, Duration timeout) {
        await().atMost(timeout).pollInterval(Duration.ofMillis(500)).until(() -> isTerminal(status(id)));
        return status(id);
    }

    /**
     * Waits until every job of {@code ids} is in a terminal status, reading the list of jobs once a second instead
     * of each job, and returns their statuses by id.
     */
    Map<String, String> awaitTerminal(Collection<String> ids, Duration timeout) {
        Map<String, String> seen = new LinkedHashMap<>();
        await().atMost(timeout).pollInterval(Duration.ofSeconds(1)).until(() -> {
            Map<String, String> all = statuses();
            seen.clear();
            for (String id : ids) seen.put(id, all.get(id));
            return seen.values().stream().allMatch(JobApiClient::isTerminal);
        });
        return seen;
    }

    static boolean isTerminal(String status) {
        return status != null && io.crossjobs.events.JobStatus.valueOf(status).isTerminal();
    }

    private static JsonNode read(byte[] body) {
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

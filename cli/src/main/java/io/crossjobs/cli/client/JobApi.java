package io.crossjobs.cli.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.crossjobs.cli.CliException;
import io.crossjobs.cli.config.Connection;

import java.io.BufferedReader;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;
import java.util.function.Consumer;

/** job-api's REST calls the CLI makes (see job-api/README.md), each failure turned into an {@link ApiError}. */
public final class JobApi {
    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(30);
    private static final java.util.Set<String> READS = java.util.Set.of("GET", "HEAD");
    /** job-api deletes the store's objects a page at a time before the store itself. */
    private static final Duration REMOVE_STORE_TIMEOUT = Duration.ofMinutes(30);

    private final Connection connection;
    private final HttpClient http;
    private final ObjectMapper json = new ObjectMapper();

    public JobApi(Connection connection) {
        this.connection = connection;
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    }

    public Connection connection() { return connection; }

    public JsonNode submit(byte[] body, String contentType) {
        return submit(body, contentType, 1);
    }

    /** {@code numJobs} more than 1: a job array ({@code POST /jobs?num_jobs=N}), answered with all its jobs. */
    public JsonNode submit(byte[] body, String contentType, int numJobs) {
        return submit(body, contentType, new SubmitOptions(numJobs, null));
    }

    /**
     * {@code POST /jobs} with the options as query parameters: {@code num_jobs} (a job array when more than 1, answered
     * with all its jobs) and {@code keep_on_failure} (null: as the tasks say).
     */
    public JsonNode submit(byte[] body, String contentType, SubmitOptions options) {
        Map<String, String> query = new java.util.LinkedHashMap<>();
        if (options.numJobs() != 1) query.put("num_jobs", String.valueOf(options.numJobs()));
        if (options.keepOnFailure() != null) query.put("keep_on_failure", options.keepOnFailure());
        return call("submitting the job", request("/jobs" + queryString(query)).timeout(CALL_TIMEOUT)
                .header("Content-Type", contentType).POST(HttpRequest.BodyPublishers.ofByteArray(body)));
    }

    /** How many jobs of the task to submit, and how long to keep a failed task's cluster (null: as the tasks say). */
    public record SubmitOptions(int numJobs, String keepOnFailure) { }

    /** {@code DELETE /jobs/{id}/hold}: ends the failed job's debug hold; answered with the job. */
    public JsonNode releaseHold(String id) {
        return call("job " + id, request("/jobs/" + encode(id) + "/hold").timeout(CALL_TIMEOUT).DELETE());
    }

    /**
     * Whether job-api holds the upload {@code digest} ({@code sha256:<hex>}): {@code HEAD /archives/{digest}}
     * answers 200 when it does, 404 when not.
     */
    public boolean hasArchive(String digest) {
        String what = "checking upload " + digest;
        HttpResponse<String> r = exchange(what, request("/archives/" + digest).timeout(CALL_TIMEOUT)
                .method("HEAD", HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() == 404) return false;
        if (r.statusCode() >= 300) throw ApiError.from(r.statusCode(), r.body(), what, connection.tokenSource(), json);
        return true;
    }

    /**
     * Uploads {@code file}'s bytes as {@code digest} ({@code PUT /archives/{digest}}, 201, or 200 when job-api
     * already held them); job-api checks that they hash to it. No overall timeout: a large upload takes its time.
     */
    public JsonNode putArchive(String digest, Path file, String what) {
        HttpRequest.BodyPublisher body;
        try {
            body = HttpRequest.BodyPublishers.ofFile(file);
        } catch (FileNotFoundException e) {
            throw new CliException(what + ": " + file + " disappeared before it was uploaded");
        }
        return call(what, request("/archives/" + digest)
                .header("Content-Type", "application/octet-stream").PUT(body));
    }

    public JsonNode job(String id) {
        return call("job " + id, request("/jobs/" + encode(id)).timeout(CALL_TIMEOUT).GET());
    }

    public JsonNode events(String id) {
        return call("job " + id, request("/jobs/" + encode(id) + "/events").timeout(CALL_TIMEOUT).GET());
    }

    public JsonNode jobs(Map<String, String> query) {
        return call("listing jobs", request("/jobs" + queryString(query)).timeout(CALL_TIMEOUT).GET());
    }

    /** 202 (asked to cancel) or 200 (already finished) both answer the job. */
    public CancelAnswer cancel(String id) {
        HttpResponse<String> r = send("job " + id,
                request("/jobs/" + encode(id) + "/cancel").timeout(CALL_TIMEOUT).POST(HttpRequest.BodyPublishers.noBody()));
        return new CancelAnswer(r.statusCode() == 202, readJson(r.body()));
    }

    public JsonNode cancelWhere(Map<String, String> query) {
        return call("cancelling jobs", request("/jobs/cancel" + queryString(query)).timeout(CALL_TIMEOUT)
                .POST(HttpRequest.BodyPublishers.noBody()));
    }

    public JsonNode controller() {
        return call("the controller", request("/controller").timeout(CALL_TIMEOUT).GET());
    }

    /**
     * Starts moving the controller; job-api answers at once with the controller's status, whose {@code migration} is
     * the move under way (null when the controller already is there). No region: the cloud's cheapest.
     */
    public JsonNode migrateController(String cloud, String region) {
        Map<String, String> body = new LinkedHashMap<>();
        body.put("cloud", cloud);
        if (region != null) body.put("region", region);
        try {
            return call("migrating the controller", request("/controller/migrate").timeout(CALL_TIMEOUT)
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(json.writeValueAsString(body))));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Starts {@code crossjobs check} for {@code clouds} (all when empty); each cloud is pending in the answer. */
    public JsonNode startCheck(List<String> clouds) {
        try {
            return call("starting a check", request("/checks").timeout(CALL_TIMEOUT)
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(json.writeValueAsString(Map.of("clouds", clouds)))));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public JsonNode check(String checkId) {
        return call("the check", request("/checks/" + checkId).timeout(CALL_TIMEOUT).GET());
    }

    /** Where uploads live (admins): {@code {"uri": ...}}, or {@code {"error": ...}} when the store cannot be reached. */
    public JsonNode store() {
        return call("the store", request("/store").timeout(CALL_TIMEOUT).GET());
    }

    /**
     * Removes crossjobs' own store on {@code cloud} and everything in it (admins): {@code {"cloud", "deletedObjects"}}.
     * job-api answers 503 {@code {"error"}} when the store's provisioner cannot be reached. A store of many objects
     * takes a while: the call waits up to {@link #REMOVE_STORE_TIMEOUT}.
     */
    public JsonNode removeStore(String cloud) {
        String what = "removing the store on " + cloud;
        HttpResponse<String> r = exchange(what, request("/store" + queryString(Map.of("cloud", cloud)))
                .timeout(REMOVE_STORE_TIMEOUT).DELETE().build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() == 503) {
            JsonNode answer = readJsonOrNull(r.body());
            String error = answer == null ? r.body() : answer.path("error").asText(r.body());
            throw new CliException(what + ": the store could not be reached through the provisioner of " + cloud
                    + " (503): " + error);
        }
        if (r.statusCode() >= 300) throw ApiError.from(r.statusCode(), r.body(), what, connection.tokenSource(), json);
        return readJson(r.body());
    }

    /** The caller's quotas and what their live jobs hold of them (GET /usage). */
    public JsonNode usage() {
        return call("your usage", request("/usage").timeout(CALL_TIMEOUT).GET());
    }

    /** Every user's quotas and usage (GET /admin/usage; admins only). */
    public JsonNode allUsage() {
        return call("every user's usage", request("/admin/usage").timeout(CALL_TIMEOUT).GET());
    }

    public JsonNode cost() {
        return call("the cost report", request("/cost").timeout(CALL_TIMEOUT).GET());
    }

    /**
     * The job's log text, each line handed over as it arrives; with {@code follow} the call returns when job-api
     * ends the stream (the job is finished and its last output was sent).
     */
    /** Which output of a job: node {@code node}'s (0 the head), followed or not, its last {@code tail} lines or all. */
    public record LogQuery(int node, boolean follow, Integer tail) {
        public static LogQuery head(boolean follow) { return new LogQuery(0, follow, null); }
    }

    public void logs(String id, LogQuery q, Consumer<String> lines) {
        boolean follow = q.follow();
        Map<String, String> query = new LinkedHashMap<>();
        if (follow) query.put("follow", "true");
        if (q.tail() != null) query.put("tail", q.tail().toString());
        if (q.node() != 0) query.put("node", Integer.toString(q.node()));
        HttpRequest.Builder request = request("/jobs/" + encode(id) + "/logs" + queryString(query)).GET();
        if (!follow) request.timeout(CALL_TIMEOUT);
        String what = "logs of job " + id;
        HttpResponse<InputStream> r = exchange(what, request.build(), HttpResponse.BodyHandlers.ofInputStream());
        try (InputStream body = r.body()) {
            if (r.statusCode() >= 300) {
                throw ApiError.from(r.statusCode(), new String(body.readAllBytes(), StandardCharsets.UTF_8), what,
                        connection.tokenSource(), json);
            }
            BufferedReader reader = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8));
            for (String line; (line = reader.readLine()) != null; ) lines.accept(line);
        } catch (IOException e) {
            throw new CliException(what + ": the connection to " + connection.url() + " broke (" + e.getMessage() + ")");
        }
    }

    private JsonNode call(String what, HttpRequest.Builder request) {
        return readJson(send(what, request).body());
    }

    private HttpResponse<String> send(String what, HttpRequest.Builder request) {
        HttpResponse<String> r = exchange(what, request.build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() >= 300) throw ApiError.from(r.statusCode(), r.body(), what, connection.tokenSource(), json);
        return r;
    }

    private <T> HttpResponse<T> exchange(String what, HttpRequest request, HttpResponse.BodyHandler<T> handler) {
        try {
            return sendOnce(request, handler);
        } catch (ConnectException | HttpConnectTimeoutException e) {
            throw new CliException("cannot reach job-api at " + connection.url() + " (from " + connection.urlSource()
                    + "): " + describe(e) + ". Is the stack up (./crossjobs up)? Otherwise pass --url or set CROSSJOBS_URL.");
        } catch (HttpTimeoutException e) {
            throw new CliException(what + ": job-api at " + connection.url() + " did not answer in time");
        } catch (IOException e) {
            throw new CliException(what + ": talking to " + connection.url() + " failed: " + describe(e));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliException(what + ": interrupted");
        }
    }

    /**
     * A read that fails on a connection the server closed after the client's pool picked it (EOF, reset) is sent once
     * more, on a new connection: reads are idempotent. Anything else fails at once.
     */
    private <T> HttpResponse<T> sendOnce(HttpRequest request, HttpResponse.BodyHandler<T> handler)
            throws IOException, InterruptedException {
        try {
            return http.send(request, handler);
        } catch (ConnectException | HttpTimeoutException e) {
            throw e;
        } catch (IOException e) {
            if (!READS.contains(request.method())) throw e;
            return http.send(request, handler);
        }
    }

    private HttpRequest.Builder request(String path) {
        if (connection.token().isEmpty()) {
            throw new CliException("no API token: pass --token, set CROSSJOBS_TOKEN, put token=... in "
                    + "~/.crossjobs/config, or start the local stack (./crossjobs up) whose admin token is used by default");
        }
        return HttpRequest.newBuilder(URI.create(connection.url() + path))
                .header("Authorization", "Bearer " + connection.token().get())
                .header("Accept", "application/json, text/plain;q=0.9, */*;q=0.1");
    }

    private JsonNode readJson(String body) {
        try {
            return json.readTree(body);
        } catch (IOException e) {
            throw new CliException("the server's answer is not JSON: " + (body.length() > 200 ? body.substring(0, 200) : body));
        }
    }

    private JsonNode readJsonOrNull(String body) {
        try {
            return json.readTree(body);
        } catch (IOException e) {
            return null;
        }
    }

    private static String describe(IOException e) {
        String m = e.getMessage();
        if (m != null && !m.isBlank()) return m;
        return e instanceof ConnectException ? "connection refused" : e.getClass().getSimpleName();
    }

    private static String queryString(Map<String, String> query) {
        if (query.isEmpty()) return "";
        StringJoiner q = new StringJoiner("&", "?", "");
        query.forEach((k, v) -> q.add(encode(k) + "=" + encode(v)));
        return q.toString();
    }

    private static String encode(String s) { return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20"); }

    /** @param accepted true when the cancel was asked now (202), false when the job had already finished (200) */
    public record CancelAnswer(boolean accepted, JsonNode job) { }
}

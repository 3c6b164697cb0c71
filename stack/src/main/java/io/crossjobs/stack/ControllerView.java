package io.crossjobs.stack;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;

/**
 * The jobs controller as job-api reports it ({@code GET /controller}): which VM serves, where, with which process.
 * The launcher and the black-box tests read it; the controller has no process of its own in the stack.
 */
public final class ControllerView {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final URI jobApi;
    private final String token;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private JsonNode last;

    ControllerView(URI jobApi, String token) {
        this.jobApi = jobApi;
        this.token = token;
    }

    /** Reads {@code GET /controller} again. */
    public JsonNode refresh() {
        HttpRequest get = HttpRequest.newBuilder(jobApi.resolve("/controller")).timeout(Duration.ofSeconds(10))
                .header("Authorization", "Bearer " + token).build();
        try {
            HttpResponse<String> r = http.send(get, HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) throw new IllegalStateException("GET /controller answered " + r.statusCode());
            last = JSON.readTree(r.body());
            return last;
        } catch (IOException e) {
            throw new IllegalStateException("GET /controller failed: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /** Waits until a controller VM serves; fails with the keeper's own words when it does not within {@code timeout}. */
    public ControllerView awaitServing(Duration timeout) {
        return awaitServing(timeout, c -> true);
    }

    /** Waits until a controller VM that {@code wanted} accepts serves (e.g. another one than before). */
    public ControllerView awaitServing(Duration timeout, java.util.function.Predicate<ControllerView> wanted) {
        Instant deadline = Instant.now().plus(timeout);
        while (true) {
            try {
                if ("SERVING".equals(refresh().path("state").asText()) && !last.path("effective").isNull()
                        && "SERVING".equals(last.path("effective").path("state").asText()) && wanted.test(this)) {
                    return this;
                }
            } catch (IllegalStateException e) {
                if (Instant.now().isAfter(deadline)) throw e;
            }
            if (Instant.now().isAfter(deadline)) {
                throw new IllegalStateException("no controller VM serves after " + timeout.toSeconds() + " s: "
                        + (last == null ? "job-api did not answer" : last.path("message").asText()
                        + "; history: " + last.path("history")));
            }
            sleep(Duration.ofMillis(300));
        }
    }

    public JsonNode status() { return last == null ? refresh() : last; }

    private JsonNode effective() { return status().path("effective"); }

    public String where() {
        JsonNode e = effective();
        return e.path("cloud").asText() + "/" + e.path("region").asText() + "/" + e.path("zone").asText();
    }

    public String cloud() { return effective().path("cloud").asText(); }

    public String clusterName() { return effective().path("clusterName").asText(); }

    public String instanceId() { return effective().path("instanceId").asText(); }

    public String instanceType() { return effective().path("instanceType").asText(); }

    /** {@code pid@host} of the controller process, as its heartbeat says. */
    public String process() { return effective().path("process").asText(); }

    public long pid() { return Long.parseLong(process().substring(0, process().indexOf('@'))); }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

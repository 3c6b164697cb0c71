package io.crossjobs.provisioner.gcp.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.auth.oauth2.GoogleCredentials;
import io.crossjobs.provisioner.gcp.config.GcpConfig;
import jakarta.enterprise.context.ApplicationScoped;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Cloud Resource Manager's {@code projects.testIamPermissions}
 * (cloud.google.com/resource-manager/reference/rest/v1/projects/testIamPermissions) over HTTP: no client library
 * for it is among the project's dependencies, and one POST is all {@code crossjobs check} needs. The same
 * credentials as the Compute client: none towards {@code endpoint-override} (mock-cloud serves the call there),
 * else Application Default Credentials' access token towards cloudresourcemanager.googleapis.com.
 */
@ApplicationScoped
public class ResourceManagerClient {
    static final String ENDPOINT = "https://cloudresourcemanager.googleapis.com";
    private static final String SCOPE = "https://www.googleapis.com/auth/cloud-platform";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** A refusal: the HTTP status and Google's error reason (or status name) from the body. */
    public static final class CallFailed extends RuntimeException {
        private final int status;
        private final String reason;

        CallFailed(int status, String reason, String message) {
            super(message);
            this.status = status;
            this.reason = reason;
        }

        public int status() { return status; }

        public String reason() { return reason; }
    }

    private final GcpConfig config;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    public ResourceManagerClient(GcpConfig config) {
        this.config = config;
    }

    /** The subset of {@code permissions} the caller holds on the project. */
    public Set<String> testIamPermissions(List<String> permissions) throws IOException, InterruptedException {
        ObjectNode body = JSON.createObjectNode();
        permissions.forEach(body.putArray("permissions")::add);
        String base = config.endpointOverride().orElse(ENDPOINT);
        HttpRequest.Builder req = HttpRequest.newBuilder(URI.create(base + "/v1/projects/" + config.project()
                        + ":testIamPermissions")).timeout(config.callTimeout())
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString()));
        if (config.endpointOverride().isEmpty()) {
            GoogleCredentials credentials = GoogleCredentials.getApplicationDefault().createScoped(SCOPE);
            credentials.refreshIfExpired();
            req.header("Authorization", "Bearer " + credentials.getAccessToken().getTokenValue());
        }
        HttpResponse<String> answer = http.send(req.build(), HttpResponse.BodyHandlers.ofString());
        JsonNode json = answer.body() == null || answer.body().isBlank() ? JSON.createObjectNode()
                : JSON.readTree(answer.body());
        if (answer.statusCode() != 200) {
            JsonNode error = json.path("error");
            String reason = error.path("errors").path(0).path("reason").asText(error.path("status").asText("HTTP "
                    + answer.statusCode()));
            throw new CallFailed(answer.statusCode(), reason, error.path("message").asText(answer.body()));
        }
        Set<String> granted = new LinkedHashSet<>();
        json.path("permissions").forEach(p -> granted.add(p.asText()));
        return granted;
    }
}

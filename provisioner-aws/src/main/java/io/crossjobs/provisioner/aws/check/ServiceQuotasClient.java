package io.crossjobs.provisioner.aws.check;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.crossjobs.provisioner.aws.config.AwsConfig;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpFullRequest;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Service Quotas' GetServiceQuota over HTTP, signed with the SDK's SigV4 signer (service {@code servicequotas}):
 * the SDK's {@code servicequotas} module of the SDK version crossjobs uses is not in the Maven repository this
 * build reads, and the call is one small AWS JSON 1.1 request
 * (docs.aws.amazon.com/servicequotas/2019-06-24/apireference/API_GetServiceQuota.html). Sent to
 * {@code servicequotas.<region>.amazonaws.com}, or to {@code endpoint-override} (mock-cloud answers it beside EC2).
 */
final class ServiceQuotasClient {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String APPLIED = "ServiceQuotasV20190624.GetServiceQuota";
    private static final String DEFAULT = "ServiceQuotasV20190624.GetAWSDefaultServiceQuota";
    /** Headers java.net.http sets itself and refuses from callers. */
    private static final Set<String> RESTRICTED = Set.of("host", "content-length", "connection", "expect", "upgrade");

    /** A refused call, with Service Quotas' error type as its code. */
    static final class Failed extends RuntimeException {
        private final CallFailure failure;

        Failed(CallFailure failure) {
            super(failure.code() + ": " + failure.message());
            this.failure = failure;
        }

        CallFailure failure() { return failure; }
    }

    private final AwsConfig config;
    private final AwsCredentialsProvider credentials;
    private final HttpClient http;

    ServiceQuotasClient(AwsConfig config, AwsCredentialsProvider credentials) {
        this.config = config;
        this.credentials = credentials;
        this.http = HttpClient.newBuilder().connectTimeout(config.callTimeout()).build();
    }

    /**
     * The quota's value in {@code region}: the applied one, else AWS's default, since a quota never raised has no
     * applied value and GetServiceQuota does not return it (API_GetServiceQuota.html).
     */
    double value(String region, String serviceCode, String quotaCode) {
        try {
            return call(APPLIED, region, serviceCode, quotaCode);
        } catch (Failed e) {
            if (!e.failure().code().equals("NoSuchResourceException")) throw e;
            return call(DEFAULT, region, serviceCode, quotaCode);
        }
    }

    private double call(String target, String region, String serviceCode, String quotaCode) {
        String body = JSON.createObjectNode().put("ServiceCode", serviceCode).put("QuotaCode", quotaCode).toString();
        URI endpoint = config.endpointOverride().map(e -> e.resolve("/"))
                .orElse(URI.create("https://servicequotas." + region + ".amazonaws.com/"));
        SdkHttpFullRequest unsigned = SdkHttpFullRequest.builder().method(SdkHttpMethod.POST).uri(endpoint)
                .putHeader("Content-Type", "application/x-amz-json-1.1").putHeader("X-Amz-Target", target).build();
        SdkHttpRequest signed = AwsV4HttpSigner.create().sign(r -> r.identity(credentials.resolveCredentials())
                .request(unsigned).payload(ContentStreamProvider.fromUtf8String(body))
                .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, "servicequotas")
                .putProperty(AwsV4HttpSigner.REGION_NAME, region)).request();
        HttpRequest.Builder request = HttpRequest.newBuilder(endpoint).timeout(config.callTimeout())
                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        for (Map.Entry<String, List<String>> h : signed.headers().entrySet()) {
            if (RESTRICTED.contains(h.getKey().toLowerCase(java.util.Locale.ROOT))) continue;
            h.getValue().forEach(v -> request.header(h.getKey(), v));
        }
        HttpResponse<String> answer;
        try {
            answer = http.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new Failed(new CallFailure(e.getClass().getSimpleName(), String.valueOf(e.getMessage()), 0));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Failed(new CallFailure("Interrupted", "interrupted", 0));
        }
        JsonNode json = parse(answer.body());
        if (answer.statusCode() != 200) {
            String type = json.path("__type").asText("HTTP " + answer.statusCode());
            String message = json.has("message") ? json.path("message").asText() : json.path("Message").asText("");
            // JSON 1.1 error types may carry a namespace: "com.amazonaws...#AccessDeniedException"
            throw new Failed(new CallFailure(type.substring(type.lastIndexOf('#') + 1), message, answer.statusCode()));
        }
        JsonNode value = json.path("Quota").path("Value");
        if (!value.isNumber()) {
            throw new Failed(new CallFailure("MalformedAnswer", "no Quota.Value in " + answer.body(), 200));
        }
        return value.asDouble();
    }

    private static JsonNode parse(String body) {
        try {
            return body == null || body.isBlank() ? JSON.createObjectNode() : JSON.readTree(body);
        } catch (IOException e) {
            return JSON.createObjectNode();
        }
    }
}

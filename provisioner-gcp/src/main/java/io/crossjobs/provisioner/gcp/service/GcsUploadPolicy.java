package io.crossjobs.provisioner.gcp.service;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.crossjobs.events.OutputShipping;
import io.crossjobs.provisioner.OutputObjects;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * A node's pre-signed upload: a V4 POST policy document (cloud.google.com/storage/docs/authentication/signatures,
 * "policy document") allowing any object name under the node's prefix, 1 byte to one chunk, in one bucket, until it
 * expires, signed GOOG4-RSA-SHA256 by a service account; and the {@code crossjobs_ship} body that posts a chunk with
 * it as an HTML form ({@code curl --form-string ... -F file=@...}). Built here, not by the SDK's
 * {@code generateSignedPostPolicyV4}, because that one always pins the object's exact name while a node ships many
 * chunks under one policy. Policy without I/O: the signature comes from {@code sign}.
 */
public final class GcsUploadPolicy {
    static final String ALGORITHM = "GOOG4-RSA-SHA256";
    /** V4 signatures last at most 7 days (cloud.google.com/storage/docs/access-control/signed-urls). */
    public static final Duration MAX_VALIDITY = Duration.ofDays(7);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final DateTimeFormatter GOOG_DATE = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'")
            .withZone(ZoneOffset.UTC);

    /** The form a node posts: the URL of the bucket and the fields besides {@code key} and {@code file}. */
    public record Form(String url, String keyPrefix, Map<String, String> fields) { }

    private GcsUploadPolicy() { }

    /**
     * @param endpoint the XML API's base URL ({@code https://storage.googleapis.com}, or mock-cloud's)
     * @param account  the signing service account's email
     * @param sign     RSA-SHA256 of the given bytes with that account's key
     */
    public static Form sign(String endpoint, String bucket, String keyPrefix, String account, Instant now,
                            Duration validity, UnaryOperator<byte[]> sign) {
        Instant signedAt = now.truncatedTo(ChronoUnit.SECONDS);
        String date = GOOG_DATE.format(signedAt);
        String credential = account + "/" + date.substring(0, 8) + "/auto/storage/goog4_request";
        Duration lasts = validity.compareTo(MAX_VALIDITY) > 0 ? MAX_VALIDITY : validity;
        ObjectNode document = JSON.createObjectNode();
        ArrayNode conditions = document.putArray("conditions");
        conditions.addObject().put("bucket", bucket);
        conditions.addArray().add("starts-with").add("$key").add(keyPrefix);
        conditions.addArray().add("content-length-range").add(1).add(OutputShipping.MAX_CHUNK_BYTES);
        conditions.addObject().put("x-goog-algorithm", ALGORITHM);
        conditions.addObject().put("x-goog-credential", credential);
        conditions.addObject().put("x-goog-date", date);
        document.put("expiration", DateTimeFormatter.ISO_INSTANT.format(signedAt.plus(lasts)));
        String policy = Base64.getEncoder().encodeToString(document.toString().getBytes(StandardCharsets.UTF_8));
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("x-goog-algorithm", ALGORITHM);
        fields.put("x-goog-credential", credential);
        fields.put("x-goog-date", date);
        fields.put("policy", policy);
        fields.put("x-goog-signature", HexFormat.of().formatHex(sign.apply(policy.getBytes(StandardCharsets.UTF_8))));
        String base = endpoint.endsWith("/") ? endpoint.substring(0, endpoint.length() - 1) : endpoint;
        return new Form(base + "/" + bucket + "/", keyPrefix, fields);
    }

    /**
     * The body of {@code crossjobs_ship FILE OFFSET}: posts FILE as the chunk object named by OFFSET
     * ({@link OutputObjects#chunkKey}); curl fails on any HTTP error, so the chunk is tried again. Every value is a
     * literal ({@code --form-string}: no {@code @}/{@code <} file reading), single-quoted for bash.
     */
    public static OutputShipping shipFunction(Form form) {
        StringBuilder s = new StringBuilder("curl -sS -f -o /dev/null --connect-timeout 10 --max-time 300");
        s.append(" --form-string ").append(quote("key=" + form.keyPrefix()))
                .append("\"$(printf ").append(OutputObjects.chunkKeyPrintf()).append(" \"$2\")\"");
        form.fields().forEach((name, value) -> s.append(" --form-string ").append(quote(name + "=" + value)));
        s.append(" -F \"file=@$1;type=application/octet-stream\" ").append(quote(form.url()));
        return new OutputShipping(s.toString());
    }

    static String quote(String text) {
        return "'" + text.replace("'", "'\\''") + "'";
    }
}

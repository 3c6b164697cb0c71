package io.crossjobs.provisioner.aws.output;

import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The form fields of an S3 browser upload (POST Object) signed with SigV4: a policy that lets its holder upload
 * objects whose key starts with {@code keyPrefix} into {@code bucket}, of 1 to {@code maxBytes} bytes, until it
 * expires, and nothing else. The SDK signs URLs but not POST policies, so this follows
 * docs.aws.amazon.com/AmazonS3/latest/API/sigv4-HTTPPOSTConstructPolicy.html and sigv4-post-example.html. A
 * pre-signed PUT URL names one key; the chunks a node uploads are named by offsets known only on the node.
 */
public final class S3PostPolicy {
    private static final DateTimeFormatter AMZ_DATE = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'")
            .withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter SCOPE_DATE = DateTimeFormatter.ofPattern("yyyyMMdd").withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter EXPIRATION = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss'Z'")
            .withZone(ZoneOffset.UTC);
    /** SigV4 signatures are valid for 7 days at most (sigv4-query-string-auth.html). */
    public static final Duration LONGEST = Duration.ofDays(7);

    /** What the policy allows. */
    public record Grant(String bucket, String region, String keyPrefix, long maxBytes, Duration validity) { }

    /**
     * The fields to send besides {@code key} and {@code file}, in the order S3 expects none of them but browsers
     * send them: {@code policy}, {@code x-amz-algorithm}, {@code x-amz-credential}, {@code x-amz-date}, the session
     * token when the credentials are temporary (the policy then ends with them), {@code x-amz-signature}.
     */
    public static Map<String, String> fields(Grant grant, AwsCredentials credentials, Instant now) {
        Duration validity = grant.validity().compareTo(LONGEST) > 0 ? LONGEST : grant.validity();
        String credential = credentials.accessKeyId() + "/" + SCOPE_DATE.format(now) + "/" + grant.region()
                + "/s3/aws4_request";
        String amzDate = AMZ_DATE.format(now);
        String token = credentials instanceof AwsSessionCredentials session ? session.sessionToken() : null;
        StringBuilder conditions = new StringBuilder()
                .append("{\"bucket\":").append(json(grant.bucket())).append("},")
                .append("[\"starts-with\",\"$key\",").append(json(grant.keyPrefix())).append("],")
                .append("[\"content-length-range\",1,").append(grant.maxBytes()).append("],")
                .append("{\"x-amz-algorithm\":\"AWS4-HMAC-SHA256\"},")
                .append("{\"x-amz-credential\":").append(json(credential)).append("},")
                .append("{\"x-amz-date\":").append(json(amzDate)).append('}');
        if (token != null) conditions.append(",{\"x-amz-security-token\":").append(json(token)).append('}');
        String policy = "{\"expiration\":" + json(EXPIRATION.format(now.plus(validity))) + ",\"conditions\":["
                + conditions + "]}";
        String encoded = Base64.getEncoder().encodeToString(policy.getBytes(StandardCharsets.UTF_8));
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("policy", encoded);
        fields.put("x-amz-algorithm", "AWS4-HMAC-SHA256");
        fields.put("x-amz-credential", credential);
        fields.put("x-amz-date", amzDate);
        if (token != null) fields.put("x-amz-security-token", token);
        fields.put("x-amz-signature", HexFormat.of().formatHex(hmac(signingKey(credentials.secretAccessKey(),
                SCOPE_DATE.format(now), grant.region()), encoded)));
        return fields;
    }

    private static byte[] signingKey(String secret, String date, String region) {
        byte[] key = hmac(("AWS4" + secret).getBytes(StandardCharsets.UTF_8), date);
        key = hmac(key, region);
        key = hmac(key, "s3");
        return hmac(key, "aws4_request");
    }

    private static byte[] hmac(byte[] key, String data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }

    /** A JSON string; keys, buckets, credentials and dates hold no character that needs more than this. */
    private static String json(String text) {
        return "\"" + text.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    private S3PostPolicy() { }
}

package io.crossjobs.mockcloud.s3;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Browser-based POST uploads signed with SigV4 (docs.aws.amazon.com/AmazonS3/latest/API/sigv4-HTTPPOSTConstructPolicy.html
 * and .../sigv4-post-example.html): the signature is HMAC-SHA256 of the base64 policy with the signing key of the
 * x-amz-credential scope; the policy must not be expired; each condition must hold; and every form field except
 * {@code policy}, {@code x-amz-signature}, {@code file} and {@code x-ignore-*} must be named by a condition.
 */
final class PostPolicy {
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * What the upload may do once the policy holds.
     *
     * @param key         the object key ({@code ${filename}} replaced)
     * @param minSize     content-length-range minimum, 0 without the condition
     * @param maxSize     content-length-range maximum, Long.MAX_VALUE without it
     */
    record Grant(Credential credential, String key, long minSize, long maxSize) { }

    private PostPolicy() { }

    /**
     * @param form         the form fields, case-insensitive names
     * @param fileName     the file part's file name (for {@code ${filename}} in the key)
     * @param bucketRegion the bucket's region
     */
    static Grant verify(String bucket, Map<String, String> form, String fileName, S3Config config,
                        String bucketRegion, Instant now) {
        String policyB64 = form.get("policy");
        String signature = form.get("x-amz-signature");
        if (policyB64 == null || signature == null) {
            // no policy and no signature: an anonymous upload, which a private bucket refuses
            throw S3Error.accessDenied("Access Denied");
        }
        String keyField = form.get("key");
        if (keyField == null) {
            throw S3Error.invalidArgument("Bucket POST must contain a field named 'key'.  If it is specified, "
                    + "please check the order of the fields.", "key", "");
        }
        if (!SigV4Crypto.ALGORITHM.equals(form.get("x-amz-algorithm"))) {
            throw S3Error.invalidArgument("Bucket POST must contain a field named 'x-amz-algorithm' set to "
                    + "AWS4-HMAC-SHA256.", "x-amz-algorithm", String.valueOf(form.get("x-amz-algorithm")));
        }
        Credential c = Credential.parse(form.get("x-amz-credential"));
        if (c == null || !"s3".equals(c.service())) {
            throw S3Error.invalidArgument("Error parsing the X-Amz-Credential parameter; the Credential is "
                    + "mal-formed; expecting \"<YOUR-AKID>/YYYYMMDD/REGION/SERVICE/aws4_request\".",
                    "x-amz-credential", String.valueOf(form.get("x-amz-credential")));
        }
        if (form.get("x-amz-date") == null) {
            throw S3Error.invalidArgument("Bucket POST must contain a field named 'x-amz-date'.", "x-amz-date", "");
        }
        if (!c.region().equals(bucketRegion)) {
            throw new S3Error(400, "AuthorizationQueryParametersError", "Error parsing the X-Amz-Credential "
                    + "parameter; the region '" + c.region() + "' is wrong; expecting '" + bucketRegion + "'")
                    .detail("Region", bucketRegion).header("x-amz-bucket-region", bucketRegion);
        }
        if (!config.accessKeyId().equals(c.accessKeyId())) {
            throw new S3Error(403, "InvalidAccessKeyId", "The AWS Access Key Id you provided does not exist in "
                    + "our records.").detail("AWSAccessKeyId", c.accessKeyId());
        }
        String expected = SigV4Crypto.hex(SigV4Crypto.hmac(SigV4Crypto.signingKey(config.secretAccessKey(),
                c.date(), c.region(), "s3"), policyB64));
        if (!SigV4Crypto.sameSignature(expected, signature)) {
            throw new S3Error(403, "SignatureDoesNotMatch", "The request signature we calculated does not match "
                    + "the signature you provided. Check your key and signing method.")
                    .detail("AWSAccessKeyId", c.accessKeyId()).detail("StringToSign", policyB64)
                    .detail("SignatureProvided", signature);
        }
        JsonNode policy;
        try {
            policy = JSON.readTree(new String(Base64.getDecoder().decode(policyB64), StandardCharsets.UTF_8));
        } catch (Exception e) {
            throw invalidPolicy("Invalid Policy: Invalid JSON.");
        }
        if (policy == null || !policy.isObject()) throw invalidPolicy("Invalid Policy: Invalid JSON.");
        JsonNode expiration = policy.get("expiration");
        if (expiration == null || !expiration.isTextual()) {
            throw invalidPolicy("Invalid Policy: Policy missing expiration.");
        }
        Instant expires;
        try {
            expires = Instant.parse(expiration.asText());
        } catch (DateTimeParseException e) {
            throw invalidPolicy("Invalid Policy: Invalid 'expiration' value: '" + expiration.asText() + "'");
        }
        if (!now.isBefore(expires)) throw S3Error.accessDenied("Invalid according to Policy: Policy expired.");
        JsonNode conditions = policy.get("conditions");
        if (conditions == null || !conditions.isArray()) {
            throw invalidPolicy("Invalid Policy: Policy missing conditions.");
        }
        String key = fileName == null ? keyField : keyField.replace("${filename}", fileName);
        Set<String> covered = new HashSet<>();
        long min = 0;
        long max = Long.MAX_VALUE;
        for (JsonNode cond : conditions) {
            if (cond.isObject() && cond.size() == 1) {
                Map.Entry<String, JsonNode> e = cond.fields().next();
                String field = e.getKey().toLowerCase(Locale.ROOT);
                covered.add(field);
                if (!e.getValue().asText().equals(value(field, bucket, key, form))) throw failed(cond);
            } else if (cond.isArray() && cond.size() == 3 && cond.get(0).isTextual()) {
                String op = cond.get(0).asText().toLowerCase(Locale.ROOT);
                if (op.equals("content-length-range")) {
                    if (!cond.get(1).canConvertToLong() || !cond.get(2).canConvertToLong()) {
                        throw invalidPolicy("Invalid Policy: Invalid content-length-range: " + cond);
                    }
                    min = cond.get(1).asLong();
                    max = cond.get(2).asLong();
                    continue;
                }
                String ref = cond.get(1).asText();
                if (!ref.startsWith("$")) throw invalidPolicy("Invalid Policy: Invalid Condition: " + cond);
                String field = ref.substring(1).toLowerCase(Locale.ROOT);
                covered.add(field);
                String actual = value(field, bucket, key, form);
                String wanted = cond.get(2).asText();
                boolean ok = switch (op) {
                    case "eq" -> wanted.equals(actual);
                    case "starts-with" -> actual != null && actual.startsWith(wanted);
                    default -> throw invalidPolicy("Invalid Policy: Invalid Condition: " + cond);
                };
                if (!ok) throw failed(cond);
            } else {
                throw invalidPolicy("Invalid Policy: Invalid Condition: " + cond);
            }
        }
        List<String> extra = new ArrayList<>();
        for (String field : form.keySet()) {
            String f = field.toLowerCase(Locale.ROOT);
            if (f.equals("policy") || f.equals("x-amz-signature") || f.equals("file") || f.startsWith("x-ignore-")) {
                continue;
            }
            if (!covered.contains(f)) extra.add(f);
        }
        if (!extra.isEmpty()) {
            throw S3Error.accessDenied("Invalid according to Policy: Extra input fields: " + String.join(", ", extra));
        }
        return new Grant(c, key, min, max);
    }

    /** A field's value as the policy sees it: the bucket from the URL, the key after ${filename}, else the form. */
    private static String value(String field, String bucket, String key, Map<String, String> form) {
        if (field.equals("bucket")) return form.getOrDefault("bucket", bucket);
        if (field.equals("key")) return key;
        return form.get(field);
    }

    private static S3Error failed(JsonNode cond) {
        return S3Error.accessDenied("Invalid according to Policy: Policy Condition failed: " + cond);
    }

    private static S3Error invalidPolicy(String message) {
        return new S3Error(400, "InvalidPolicyDocument", message);
    }
}

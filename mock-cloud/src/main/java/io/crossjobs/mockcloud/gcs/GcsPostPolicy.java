package io.crossjobs.mockcloud.gcs;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The XML API's form POST with a V4 policy document (cloud.google.com/storage/docs/xml-api/post-object-forms,
 * cloud.google.com/storage/docs/authentication/signatures#policy-document), verified in full: the signature is
 * GOOG4-RSA-SHA256 of the base64 policy, by the account the credential names; the credential's date is the
 * x-goog-date's; the policy has not expired and lasts at most 7 days past x-goog-date; every condition holds; and
 * every form field except {@code policy}, {@code x-goog-signature}, {@code file} and {@code x-ignore-*} is named by
 * a condition. Policy without I/O: the caller hands in the form, the bucket from the URL and the clock.
 */
final class GcsPostPolicy {
    static final String ALGORITHM = "GOOG4-RSA-SHA256";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern CREDENTIAL = Pattern.compile("([^/]+)/(\\d{8})/([^/]+)/storage/goog4_request");
    private static final DateTimeFormatter GOOG_DATE = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'");
    private static final Set<String> EXEMPT = Set.of("policy", "x-goog-signature", "file");

    /**
     * What the upload may store once the policy holds.
     *
     * @param key           the object name ({@code ${filename}} replaced by the file part's name)
     * @param contentType   the form's Content-Type field, else null
     * @param minSize       content-length-range minimum, 0 without the condition
     * @param maxSize       content-length-range maximum, Long.MAX_VALUE without it
     * @param successStatus the status to answer with: the form's success_action_status (200, 201) or 204
     * @param metadata      the form's x-goog-meta-* fields, without the prefix
     */
    record Grant(String key, String contentType, long minSize, long maxSize, int successStatus,
                 Map<String, String> metadata) { }

    /**
     * @param accounts   the verifying key of a service account's email, or null for an unknown account
     * @param maxValidity longest time from x-goog-date to expiration
     * @param futureSkew how far ahead of {@code now} an x-goog-date may be
     */
    record Settings(Function<String, GcsServiceAccountKey> accounts, Duration maxValidity, Duration futureSkew) { }

    private GcsPostPolicy() { }

    /**
     * @param bucket   the bucket the URL names
     * @param form     the form's fields, case-insensitive names, the file part excluded
     * @param fileName the file part's file name, or null
     */
    static Grant verify(String bucket, Map<String, String> form, String fileName, Settings settings, Instant now) {
        String policyB64 = form.get("policy");
        if (policyB64 == null) throw GcsXmlError.policy("Missing policy");
        String keyField = form.get("key");
        if (keyField == null) throw GcsXmlError.invalidArgument("Missing key.");
        String algorithm = form.get("x-goog-algorithm");
        if (!ALGORITHM.equals(algorithm)) {
            throw GcsXmlError.invalidArgument("Unsupported x-goog-algorithm: " + algorithm + ".");
        }
        Matcher credential = CREDENTIAL.matcher(String.valueOf(form.get("x-goog-credential")));
        if (!credential.matches()) {
            throw GcsXmlError.invalidArgument("Invalid x-goog-credential: " + form.get("x-goog-credential") + ".");
        }
        Instant signedAt = googDate(form.get("x-goog-date"));
        if (!form.get("x-goog-date").startsWith(credential.group(2))) {
            throw GcsXmlError.invalidArgument("The date of x-goog-credential (" + credential.group(2)
                    + ") is not the date of x-goog-date (" + form.get("x-goog-date") + ").");
        }
        if (signedAt.isAfter(now.plus(settings.futureSkew()))) {
            throw GcsXmlError.invalidArgument("x-goog-date " + form.get("x-goog-date") + " lies in the future.");
        }
        checkSignature(policyB64, form.get("x-goog-signature"), settings.accounts().apply(credential.group(1)));

        JsonNode policy = parse(policyB64);
        Instant expires = expiration(policy);
        if (!now.isBefore(expires)) throw GcsXmlError.policy("Policy expired.");
        if (Duration.between(signedAt, expires).compareTo(settings.maxValidity()) > 0) {
            throw GcsXmlError.policy("The policy expires more than " + settings.maxValidity().toSeconds()
                    + " seconds after x-goog-date.");
        }
        String formBucket = form.get("bucket");
        if (formBucket != null && !formBucket.equals(bucket)) {
            throw GcsXmlError.invalidArgument("The bucket field (" + formBucket + ") is not the bucket of the URL ("
                    + bucket + ").");
        }
        String key = fileName == null ? keyField : keyField.replace("${filename}", fileName);
        Set<String> referenced = new HashSet<>();
        long[] range = {0, Long.MAX_VALUE};
        JsonNode conditions = policy.get("conditions");
        if (conditions == null || !conditions.isArray()) throw GcsXmlError.policy("Missing conditions.");
        for (JsonNode condition : conditions) {
            String field = check(condition, bucket, key, form, range);
            if (field != null) referenced.add(field);
        }
        List<String> unreferenced = new ArrayList<>();
        for (String field : form.keySet()) {
            String f = field.toLowerCase(Locale.ROOT);
            if (EXEMPT.contains(f) || f.startsWith("x-ignore-") || referenced.contains(f)) continue;
            unreferenced.add(field);
        }
        if (!unreferenced.isEmpty()) {
            throw GcsXmlError.policy("Policy did not reference these fields: " + String.join(", ", unreferenced));
        }
        return new Grant(key, form.get("content-type"), range[0], range[1], successStatus(form),
                userMetadata(form));
    }

    /** Checks one condition; returns the form field it names (lower case), null for content-length-range. */
    private static String check(JsonNode condition, String bucket, String key, Map<String, String> form,
                                long[] range) {
        if (condition.isObject() && condition.size() == 1) {
            Map.Entry<String, JsonNode> e = condition.fields().next();
            String field = e.getKey().toLowerCase(Locale.ROOT);
            if (!e.getValue().isValueNode() || !e.getValue().asText().equals(value(field, bucket, key, form))) {
                throw failed(condition);
            }
            return field;
        }
        if (!condition.isArray() || condition.size() != 3 || !condition.get(0).isTextual()) {
            throw GcsXmlError.policy("Invalid condition: " + condition);
        }
        String op = condition.get(0).asText().toLowerCase(Locale.ROOT);
        if (op.equals("content-length-range")) {
            if (!condition.get(1).canConvertToLong() || !condition.get(2).canConvertToLong()) {
                throw GcsXmlError.policy("Invalid condition: " + condition);
            }
            range[0] = condition.get(1).asLong();
            range[1] = condition.get(2).asLong();
            return null;
        }
        String ref = condition.get(1).asText();
        if (!ref.startsWith("$")) throw GcsXmlError.policy("Invalid condition: " + condition);
        String field = ref.substring(1).toLowerCase(Locale.ROOT);
        String actual = value(field, bucket, key, form);
        String wanted = condition.get(2).asText();
        boolean holds;
        if (op.equals("eq")) {
            holds = wanted.equals(actual);
        } else if (op.equals("starts-with")) {
            holds = actual != null && actual.startsWith(wanted);
        } else {
            throw GcsXmlError.policy("Invalid condition: " + condition);
        }
        if (!holds) throw failed(condition);
        return field;
    }

    private static void checkSignature(String policyB64, String signatureHex, GcsServiceAccountKey account) {
        byte[] signature;
        try {
            signature = HexFormat.of().parseHex(String.valueOf(signatureHex));
        } catch (IllegalArgumentException e) {
            signature = null;
        }
        if (account == null || signature == null
                || !account.verifies(policyB64.getBytes(StandardCharsets.UTF_8), signature)) {
            throw new GcsXmlError(403, "SignatureDoesNotMatch", "The request signature we calculated does not match "
                    + "the signature you provided. Check your Google secret key and signing method.", null);
        }
    }

    private static JsonNode parse(String policyB64) {
        try {
            JsonNode policy = JSON.readTree(new String(Base64.getDecoder().decode(policyB64), StandardCharsets.UTF_8));
            if (policy != null && policy.isObject()) return policy;
        } catch (Exception e) {
            // refused below
        }
        throw GcsXmlError.policy("Invalid policy document.");
    }

    private static Instant expiration(JsonNode policy) {
        JsonNode expiration = policy.get("expiration");
        if (expiration == null || !expiration.isTextual()) throw GcsXmlError.policy("Missing expiration.");
        try {
            return Instant.parse(expiration.asText());
        } catch (DateTimeParseException e) {
            throw GcsXmlError.policy("Invalid expiration: " + expiration.asText());
        }
    }

    private static Instant googDate(String text) {
        try {
            return LocalDateTime.parse(String.valueOf(text), GOOG_DATE).toInstant(ZoneOffset.UTC);
        } catch (DateTimeParseException e) {
            throw GcsXmlError.invalidArgument("Invalid x-goog-date: " + text + ".");
        }
    }

    /** A field's value as the policy sees it: the bucket from the URL, the key after ${filename}, else the form. */
    private static String value(String field, String bucket, String key, Map<String, String> form) {
        if (field.equals("bucket")) return bucket;
        if (field.equals("key")) return key;
        return form.get(field);
    }

    private static int successStatus(Map<String, String> form) {
        String s = form.get("success_action_status");
        return "200".equals(s) ? 200 : "201".equals(s) ? 201 : 204;
    }

    private static Map<String, String> userMetadata(Map<String, String> form) {
        Map<String, String> meta = new java.util.TreeMap<>();
        form.forEach((name, value) -> {
            String n = name.toLowerCase(Locale.ROOT);
            if (n.startsWith("x-goog-meta-")) meta.put(n.substring("x-goog-meta-".length()), value);
        });
        return meta;
    }

    private static GcsXmlError failed(JsonNode condition) {
        return GcsXmlError.policy("Policy condition failed: " + condition);
    }
}

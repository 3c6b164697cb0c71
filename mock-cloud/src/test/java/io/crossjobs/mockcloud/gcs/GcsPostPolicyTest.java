package io.crossjobs.mockcloud.gcs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;

import org.junit.jupiter.api.Test;

/** The V4 policy checks without HTTP: each refusal with GCS's code, and what a good form may store. */
class GcsPostPolicyTest {
    private static final String EMAIL = "sa@p.iam.gserviceaccount.com";
    private static final Instant NOW = Instant.parse("2026-03-01T10:00:00Z");
    private static final KeyPair KEYS = keys();
    private static final GcsPostPolicy.Settings SETTINGS = new GcsPostPolicy.Settings(
            e -> e.equals(EMAIL) ? GcsServiceAccountKey.of(EMAIL, KEYS.getPublic()) : null, Duration.ofDays(7),
            Duration.ofMinutes(15));

    @Test
    void aGoodFormGrantsItsKeyWithTheLengthRange() {
        GcsPostPolicy.Grant grant = GcsPostPolicy.verify("b", form("out/0", NOW.plusSeconds(60), EMAIL), null,
                SETTINGS, NOW);
        assertEquals("out/0", grant.key());
        assertEquals(1, grant.minSize());
        assertEquals(4096, grant.maxSize());
        assertEquals(204, grant.successStatus());
    }

    @Test
    void eachBrokenRuleIsRefusedAsGcsDoes() {
        assertCode("InvalidPolicyDocument", 400, "Policy condition failed", form("elsewhere/0", NOW.plusSeconds(60), EMAIL), NOW);
        assertCode("InvalidPolicyDocument", 400, "Policy expired", form("out/0", NOW.plusSeconds(60), EMAIL),
                NOW.plusSeconds(61));
        assertCode("InvalidPolicyDocument", 400, "more than 604800 seconds",
                form("out/0", NOW.plus(Duration.ofDays(7)).plusSeconds(1), EMAIL), NOW);
        assertCode("SignatureDoesNotMatch", 403, null, form("out/0", NOW.plusSeconds(60), "other@p.iam.gserviceaccount.com"), NOW);
        Map<String, String> tampered = form("out/0", NOW.plusSeconds(60), EMAIL);
        tampered.put("x-goog-signature", tampered.get("x-goog-signature").replace('a', 'b').replace('1', '2'));
        assertCode("SignatureDoesNotMatch", 403, null, tampered, NOW);
        Map<String, String> extra = form("out/0", NOW.plusSeconds(60), EMAIL);
        extra.put("acl", "public-read");
        assertCode("InvalidPolicyDocument", 400, "Policy did not reference these fields: acl", extra, NOW);
        Map<String, String> ignored = form("out/0", NOW.plusSeconds(60), EMAIL);
        ignored.put("x-ignore-submit", "Upload");
        GcsPostPolicy.verify("b", ignored, null, SETTINGS, NOW);
        Map<String, String> noPolicy = form("out/0", NOW.plusSeconds(60), EMAIL);
        noPolicy.remove("policy");
        assertCode("InvalidPolicyDocument", 400, "Missing policy", noPolicy, NOW);
        Map<String, String> otherDay = form("out/0", NOW.plusSeconds(60), EMAIL);
        otherDay.put("x-goog-credential", EMAIL + "/20260302/auto/storage/goog4_request");
        assertCode("InvalidArgument", 400, "is not the date", otherDay, NOW);
        Map<String, String> hmac = form("out/0", NOW.plusSeconds(60), EMAIL);
        hmac.put("x-goog-algorithm", "GOOG4-HMAC-SHA256");
        assertCode("InvalidArgument", 400, "x-goog-algorithm", hmac, NOW);
        assertThrows(GcsXmlError.class, () -> GcsPostPolicy.verify("another-bucket",
                form("out/0", NOW.plusSeconds(60), EMAIL), null, SETTINGS, NOW), "the bucket condition");
    }

    private static void assertCode(String code, int status, String detail, Map<String, String> form, Instant now) {
        GcsXmlError e = assertThrows(GcsXmlError.class, () -> GcsPostPolicy.verify("b", form, null, SETTINGS, now));
        assertEquals(code, e.code(), e.toXml());
        assertEquals(status, e.status());
        if (detail != null) assertTrue(e.details().contains(detail), e.toXml());
    }

    /** A form for {@code key} whose policy allows names under out/ of 1..4096 bytes, signed as {@code signer}. */
    private static Map<String, String> form(String key, Instant expires, String signer) {
        String date = "20260301T100000Z";
        String credential = signer + "/20260301/auto/storage/goog4_request";
        String document = "{\"expiration\":\"" + expires + "\",\"conditions\":[{\"bucket\":\"b\"},"
                + "[\"starts-with\",\"$key\",\"out/\"],[\"content-length-range\",1,4096],"
                + "{\"x-goog-algorithm\":\"GOOG4-RSA-SHA256\"},[\"eq\",\"$x-goog-credential\",\"" + credential + "\"],"
                + "{\"x-goog-date\":\"" + date + "\"}]}";
        String policy = Base64.getEncoder().encodeToString(document.getBytes(StandardCharsets.UTF_8));
        Map<String, String> form = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        form.put("key", key);
        form.put("x-goog-algorithm", "GOOG4-RSA-SHA256");
        form.put("x-goog-credential", credential);
        form.put("x-goog-date", date);
        form.put("policy", policy);
        form.put("x-goog-signature", sign(policy));
        return form;
    }

    private static String sign(String policy) {
        try {
            Signature rsa = Signature.getInstance("SHA256withRSA");
            rsa.initSign(KEYS.getPrivate());
            rsa.update(policy.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(rsa.sign());
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static KeyPair keys() {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
            g.initialize(2048);
            return g.generateKeyPair();
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}

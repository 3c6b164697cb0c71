package io.crossjobs.jobapi.service;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;

/**
 * The signature header of a delivery: {@code X-Crossjobs-Signature: sha256=<hex HMAC-SHA256(secret, body)>},
 * over the exact body bytes. Receivers recompute it with the secret they were given at creation and
 * compare in constant time.
 */
public final class WebhookSignatures {
    public static final String HEADER = "X-Crossjobs-Signature";

    public static String sign(String secret, String body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return "sha256=" + HexFormat.of().formatHex(mac.doFinal(body.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available", e);
        }
    }

    private WebhookSignatures() { }
}

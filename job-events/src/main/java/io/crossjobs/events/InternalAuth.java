package io.crossjobs.events;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;

/**
 * Signs and checks the requests crossjobs' services send each other over HTTP (job-api and the provisioners, which
 * share {@code crossjobs.secrets.key}): HMAC-SHA256 over the time, method, path and the body's SHA-256, with a key
 * derived from the secrets key, so the HTTP key is never the key that seals secrets. A request older or newer than
 * {@link #SKEW} is refused, so a captured one cannot be replayed later.
 */
public final class InternalAuth {
    public static final String HEADER = "X-Crossjobs-Internal";
    public static final Duration SKEW = Duration.ofMinutes(5);
    private static final String KEY_PURPOSE = "crossjobs internal requests v1";

    private final byte[] key;
    private final Clock clock;

    public InternalAuth(String base64SecretsKey, Clock clock) {
        this.key = hmac(Base64.getDecoder().decode(base64SecretsKey.trim()),
                KEY_PURPOSE.getBytes(StandardCharsets.UTF_8));
        this.clock = clock;
    }

    /** The header value for a request: {@code t=<epoch seconds>,v1=<hex HMAC>}. */
    public String sign(String method, String path, byte[] body) {
        long t = clock.instant().getEpochSecond();
        return "t=" + t + ",v1=" + HexFormat.of().formatHex(mac(t, method, path, body));
    }

    /** Whether {@code header} signs this request, within {@link #SKEW} of now. */
    public boolean verify(String header, String method, String path, byte[] body) {
        if (header == null) return false;
        String[] parts = header.split(",", 2);
        if (parts.length != 2 || !parts[0].startsWith("t=") || !parts[1].startsWith("v1=")) return false;
        long t;
        byte[] given;
        try {
            t = Long.parseLong(parts[0].substring(2));
            given = HexFormat.of().parseHex(parts[1].substring(3));
        } catch (IllegalArgumentException e) {
            return false;
        }
        Instant at = Instant.ofEpochSecond(t);
        if (Duration.between(at, clock.instant()).abs().compareTo(SKEW) > 0) return false;
        return MessageDigest.isEqual(given, mac(t, method, path, body));
    }

    private byte[] mac(long t, String method, String path, byte[] body) {
        String text = t + "\n" + method + "\n" + path + "\n" + sha256Hex(body == null ? new byte[0] : body);
        return hmac(key, text.getBytes(StandardCharsets.UTF_8));
    }

    public static String sha256Hex(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }

    private static byte[] hmac(byte[] key, byte[] data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available", e);
        }
    }
}

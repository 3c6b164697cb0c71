package io.crossjobs.mockcloud.blob;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Shared Key authorization of the Blob service (learn.microsoft.com/rest/api/storageservices/
 * authorize-with-shared-key, version 2015-02-21 and later): {@code Authorization: SharedKey <account>:<signature>},
 * the signature being base64 HMAC-SHA256, keyed with the decoded account key, of
 * <pre>
 * VERB, Content-Encoding, Content-Language, Content-Length (empty when 0), Content-MD5, Content-Type, Date (empty
 * when x-ms-date is sent), If-Modified-Since, If-Match, If-None-Match, If-Unmodified-Since, Range,
 * the x-ms-* headers (lower-case names sorted, "name:value"), the canonicalized resource
 * </pre>
 * joined by newlines. The canonicalized resource is "/" + account + the URI's path as sent (path-style, so an
 * emulator's account name appears twice, as that page says), then each query parameter on its own line as
 * "name:value" (lower-case names sorted, values decoded, several values sorted and joined by commas).
 * A request must also be no older than 15 minutes (same page).
 */
final class SharedKey {
    static final String SCHEME = "SharedKey";
    private static final List<String> STANDARD_HEADERS = List.of("Content-Encoding", "Content-Language",
            "Content-Length", "Content-MD5", "Content-Type", "Date", "If-Modified-Since", "If-Match", "If-None-Match",
            "If-Unmodified-Since", "Range");

    private SharedKey() { }

    /** Checks the request's Shared Key authorization; throws the error Blob Storage answers. */
    static void verify(BlobRequest r, BlobConfig config, Instant now) {
        String authorization = r.header("Authorization").trim();
        String credential = authorization.substring(SCHEME.length()).trim();
        int colon = credential.indexOf(':');
        if (colon <= 0 || colon == credential.length() - 1) {
            throw new BlobError(400, "InvalidAuthenticationInfo", "Authentication information is not given in the "
                    + "correct format. Check the value of Authorization header.");
        }
        String account = credential.substring(0, colon);
        String signature = credential.substring(colon + 1);
        Instant date = requestDate(r);
        if (date.isBefore(now.minus(Duration.ofMinutes(config.sharedKeyMaxAgeMinutes())))) {
            throw BlobError.authenticationFailed("Request date header too old: '" + dateHeader(r) + "'");
        }
        String stringToSign = stringToSign(r, config.accountName());
        if (!account.equals(config.accountName())) {
            throw BlobError.authenticationFailed("The MAC signature found in the HTTP request '" + signature
                    + "' is not the same as any computed signature. Server used following string to sign: '"
                    + stringToSign + "'.");
        }
        if (!config.verifySharedKey()) return;
        String expected = sign(config.accountKey(), stringToSign);
        if (!MessageDigest.isEqual(expected.getBytes(StandardCharsets.US_ASCII),
                signature.getBytes(StandardCharsets.US_ASCII))) {
            throw BlobError.authenticationFailed("The MAC signature found in the HTTP request '" + signature
                    + "' is not the same as any computed signature. Server used following string to sign: '"
                    + stringToSign + "'.");
        }
    }

    static String stringToSign(BlobRequest r, String account) {
        List<String> lines = new ArrayList<>();
        lines.add(r.method());
        for (String name : STANDARD_HEADERS) {
            String value = r.header(name);
            if (name.equals("Content-Length") && "0".equals(value)) value = null;
            if (name.equals("Date") && r.header("x-ms-date") != null) value = null;
            lines.add(value == null ? "" : value);
        }
        Map<String, String> msHeaders = new TreeMap<>();
        r.headers().forEach((name, value) -> {
            if (name.toLowerCase(Locale.ROOT).startsWith("x-ms-")) msHeaders.put(name.toLowerCase(Locale.ROOT), value);
        });
        msHeaders.forEach((name, value) -> lines.add(name + ":" + value));
        lines.add(canonicalizedResource(r, account));
        return String.join("\n", lines);
    }

    static String canonicalizedResource(BlobRequest r, String account) {
        StringBuilder sb = new StringBuilder("/").append(account).append(r.rawPath().isEmpty() ? "/" : r.rawPath());
        Map<String, List<String>> params = new TreeMap<>();
        for (Map.Entry<String, String> e : r.query()) {
            List<String> values = params.computeIfAbsent(e.getKey().toLowerCase(Locale.ROOT), k -> new ArrayList<>());
            values.addAll(List.of(e.getValue().split(",", -1)));
        }
        params.forEach((name, values) -> {
            values.sort(null);
            sb.append('\n').append(name).append(':').append(String.join(",", values));
        });
        return sb.toString();
    }

    /** Base64 HMAC-SHA256 of {@code stringToSign} with the base64 {@code accountKey} (Shared Key and SAS alike). */
    static String sign(String accountKey, String stringToSign) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(Base64.getDecoder().decode(accountKey), "HmacSHA256"));
            return Base64.getEncoder().encodeToString(mac.doFinal(stringToSign.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String dateHeader(BlobRequest r) {
        String d = r.header("x-ms-date");
        return d != null ? d : r.header("Date");
    }

    /** {@code x-ms-date}, else {@code Date}, in RFC 1123 form; a Shared Key request needs one. */
    private static Instant requestDate(BlobRequest r) {
        String d = dateHeader(r);
        if (d == null) {
            throw BlobError.authenticationFailed("Request date header not specified");
        }
        try {
            return ZonedDateTime.parse(d.trim(), DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
        } catch (DateTimeParseException e) {
            throw BlobError.invalidHeader(r.header("x-ms-date") != null ? "x-ms-date" : "Date", d);
        }
    }
}

package io.crossjobs.mockcloud.gcs;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Verifies a V4 signed URL of the XML API (cloud.google.com/storage/docs/authentication/signatures, "Signing
 * process"; .../access-control/signed-urls), query-string authentication GOOG4-RSA-SHA256: the canonical request
 * {@code VERB\nPATH\nQUERY\nHEADERS\n\nSIGNED_HEADERS\nUNSIGNED-PAYLOAD}, hashed, signed in the string to sign
 * {@code GOOG4-RSA-SHA256\n<X-Goog-Date>\n<scope>\n<hex sha256>} by the service account the credential names.
 * Policy without I/O: the request's method, raw path, raw query and headers in, the account by email through
 * {@code accounts}, the time.
 */
final class GcsSignedUrl {
    static final String ALGORITHM = "GOOG4-RSA-SHA256";
    private static final Pattern CREDENTIAL =
            Pattern.compile("([^/]+)/(\\d{8})/([a-z0-9-]+)/storage/goog4_request");
    private static final DateTimeFormatter GOOG_DATE = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'")
            .withZone(ZoneOffset.UTC);

    /** One request as received: the raw (still percent-encoded) path and query, header names in lower case. */
    record Request(String method, String rawPath, String rawQuery, Map<String, String> headers) { }

    private GcsSignedUrl() { }

    /** Whether the query carries a V4 signature at all (else the request is anonymous). */
    static boolean isSigned(Map<String, String> params) {
        return params.keySet().stream().anyMatch(k -> k.equalsIgnoreCase("X-Goog-Signature"));
    }

    /**
     * @param params   the decoded query parameters
     * @param accounts the verifying key of a service account's email; null for an unknown (or revoked) one
     * @return the signing account's email
     */
    static String verify(Request req, Map<String, String> params, Function<String, GcsServiceAccountKey> accounts,
                         Duration maxValidity, Instant now) {
        String algorithm = param(params, "X-Goog-Algorithm");
        if (!ALGORITHM.equals(algorithm)) {
            throw malformed("X-Goog-Algorithm", "Unsupported algorithm: " + algorithm + ".");
        }
        Matcher credential = CREDENTIAL.matcher(param(params, "X-Goog-Credential"));
        if (!credential.matches()) throw malformed("X-Goog-Credential", "Invalid credential.");
        String dateText = param(params, "X-Goog-Date");
        Instant signedAt;
        try {
            signedAt = Instant.from(GOOG_DATE.parse(dateText));
        } catch (DateTimeParseException e) {
            throw malformed("X-Goog-Date", "Invalid date: " + dateText + ".");
        }
        if (!dateText.startsWith(credential.group(2))) {
            throw malformed("X-Goog-Credential", "The credential's date is not X-Goog-Date's.");
        }
        long expires;
        try {
            expires = Long.parseLong(param(params, "X-Goog-Expires"));
        } catch (NumberFormatException e) {
            throw malformed("X-Goog-Expires", "Invalid expiration: " + params.get("X-Goog-Expires") + ".");
        }
        if (expires < 1 || expires > maxValidity.toSeconds()) {
            throw GcsXmlError.invalidArgument("Max allowed expiration interval is seven days "
                    + maxValidity.toSeconds() + ".");
        }
        String signedHeaders = param(params, "X-Goog-SignedHeaders");
        List<String> names = List.of(signedHeaders.split(";"));
        if (!names.contains("host")) throw malformed("X-Goog-SignedHeaders", "The host header must be signed.");
        GcsServiceAccountKey account = accounts.apply(credential.group(1));
        byte[] signature;
        try {
            signature = HexFormat.of().parseHex(param(params, "X-Goog-Signature"));
        } catch (IllegalArgumentException e) {
            signature = new byte[0];
        }
        String stringToSign = ALGORITHM + "\n" + dateText + "\n" + credential.group(2) + "/" + credential.group(3)
                + "/storage/goog4_request\n" + sha256Hex(canonicalRequest(req, names));
        if (account == null || !account.verifies(stringToSign.getBytes(StandardCharsets.UTF_8), signature)) {
            throw new GcsXmlError(403, "SignatureDoesNotMatch", "The request signature we calculated does not match "
                    + "the signature you provided. Check your Google secret key and signing method.",
                    stringToSign);
        }
        if (!now.isBefore(signedAt.plusSeconds(expires))) {
            throw new GcsXmlError(400, "ExpiredToken", "The provided token has expired.",
                    "Request signature expired at: " + DateTimeFormatter.ISO_INSTANT.format(signedAt.plusSeconds(expires)));
        }
        return account.email();
    }

    /**
     * The canonical request over the path and query as sent (the signer encoded them; re-encoding could only
     * differ from what it signed), the query sorted without the signature, the signed headers' values trimmed.
     */
    static String canonicalRequest(Request req, List<String> signedHeaders) {
        List<String> query = new ArrayList<>();
        if (req.rawQuery() != null && !req.rawQuery().isEmpty()) {
            for (String pair : req.rawQuery().split("&")) {
                if (!pair.regionMatches(true, 0, "X-Goog-Signature=", 0, 17) && !pair.isEmpty()) query.add(pair);
            }
        }
        query.sort(null);
        Map<String, String> headers = new LinkedHashMap<>();
        for (String name : signedHeaders) {
            headers.put(name, req.headers().getOrDefault(name.toLowerCase(Locale.ROOT), "").trim());
        }
        StringBuilder c = new StringBuilder(req.method()).append('\n').append(req.rawPath()).append('\n')
                .append(String.join("&", query)).append('\n');
        headers.forEach((name, value) -> c.append(name).append(':').append(value).append('\n'));
        return c.append('\n').append(String.join(";", signedHeaders)).append('\n').append("UNSIGNED-PAYLOAD").toString();
    }

    private static String param(Map<String, String> params, String name) {
        for (Map.Entry<String, String> e : params.entrySet()) {
            if (e.getKey().equalsIgnoreCase(name)) return e.getValue();
        }
        throw malformed(name, "Missing " + name + ".");
    }

    /** 400 MalformedSecurityHeader "Your request has a malformed header.", the parameter in Details. */
    private static GcsXmlError malformed(String parameter, String details) {
        return new GcsXmlError(400, "MalformedSecurityHeader", "Your request has a malformed header.",
                parameter + ": " + details);
    }

    private static String sha256Hex(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}

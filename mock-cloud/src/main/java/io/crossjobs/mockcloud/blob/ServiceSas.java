package io.crossjobs.mockcloud.blob;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * A service SAS on a blob or a container, signed with the account key, verified as Blob Storage does
 * (learn.microsoft.com/rest/api/storageservices/create-service-sas): {@code sv}, {@code sr} ({@code b} or
 * {@code c}), {@code sp}, {@code se}, optional {@code st}, {@code sip}, {@code spr}, {@code ses}, {@code rscc}..
 * {@code rsct}, and {@code sig}, the base64 HMAC-SHA256 of
 * <pre>
 * sp, st, se, canonicalizedResource ("/blob/account/container[/blob]"), si, sip, spr, sv, sr,
 * snapshot time, [ses, from 2020-12-06 on,] rscc, rscd, rsce, rscl, rsct
 * </pre>
 * joined by newlines. Versions before 2018-11-09 (another string to sign), stored access policies ({@code si}),
 * user delegation and account SASes are not served.
 *
 * @param permissions the letters of {@code sp}
 * @param container   sr=c: the SAS covers every blob of the container; sr=b: the one blob it was signed for
 */
record ServiceSas(String version, String permissions, boolean container) {
    static final String OLDEST_VERSION = "2018-11-09";
    private static final String ENCRYPTION_SCOPE_FROM = "2020-12-06";
    private static final Set<String> USER_DELEGATION = Set.of("skoid", "sktid", "skt", "ske", "sks", "skv");

    static boolean present(BlobRequest r) {
        return r.has("sig") || r.has("sv") && r.has("sp");
    }

    /** Verifies the SAS of {@code r} addressing {@code container}/{@code blob} (null for the container itself). */
    static ServiceSas verify(BlobRequest r, BlobConfig config, String container, String blob, Instant now) {
        if (r.has("ss") || r.has("srt")) throw notServed("an account SAS");
        for (String p : USER_DELEGATION) if (r.has(p)) throw notServed("a user delegation SAS");
        if (r.has("si")) throw notServed("a SAS with a stored access policy (si)");
        String sv = r.param("sv");
        String sr = r.param("sr");
        String sig = r.param("sig");
        String sp = r.param("sp");
        String se = r.param("se");
        if (sv == null || sr == null || sig == null || sp == null || se == null) {
            throw BlobError.authenticationFailed("sv, sr, sp, se and sig are mandatory. Specify all of them.");
        }
        if (!BlobVersions.wellFormed(sv) || sv.compareTo(OLDEST_VERSION) < 0) {
            throw notServed("a SAS of version " + sv);
        }
        boolean onContainer;
        if (sr.equals("c")) {
            onContainer = true;
        } else if (sr.equals("b")) {
            onContainer = false;
            if (blob == null) throw BlobError.resourceTypeMismatch();
        } else {
            throw notServed("a SAS with sr=" + sr);
        }
        String resource = "/blob/" + config.accountName() + "/" + container + (onContainer ? "" : "/" + blob);
        List<String> fields = new ArrayList<>(List.of(sp, value(r, "st"), se, resource, "", value(r, "sip"),
                value(r, "spr"), sv, sr, ""));
        if (sv.compareTo(ENCRYPTION_SCOPE_FROM) >= 0) fields.add(value(r, "ses"));
        for (String p : List.of("rscc", "rscd", "rsce", "rscl", "rsct")) fields.add(value(r, p));
        String stringToSign = String.join("\n", fields);
        String expected = SharedKey.sign(config.accountKey(), stringToSign);
        if (!MessageDigest.isEqual(expected.getBytes(StandardCharsets.US_ASCII), sig.getBytes(StandardCharsets.UTF_8))) {
            throw BlobError.authenticationFailed("Signature did not match. String to sign used was "
                    + stringToSign.replace("\n", "\\n"));
        }
        Instant expiry = time(se, "se");
        Instant start = r.has("st") ? time(r.param("st"), "st") : null;
        if ((start != null && now.isBefore(start)) || !now.isBefore(expiry)) {
            throw BlobError.authenticationFailed("Signature not valid in the specified time frame: Start ["
                    + (start == null ? "" : httpDate(start)) + "] - Expiry [" + httpDate(expiry) + "] - Current ["
                    + httpDate(now) + "]");
        }
        String spr = r.param("spr");
        if (spr != null && !spr.equals("https") && !spr.equals("https,http")) {
            throw BlobError.authenticationFailed("Invalid signed protocol " + spr);
        }
        if ("https".equals(spr) && !r.https()) {
            throw new BlobError(403, "AuthorizationProtocolMismatch", "This request is not authorized to perform "
                    + "this operation using this protocol.");
        }
        if (r.has("sip") && !IpRange.parse(r.param("sip")).contains(r.remote())) {
            throw new BlobError(403, "AuthorizationSourceIPMismatch", "This request is not authorized to perform "
                    + "this operation using this source IP " + r.remote() + ".");
        }
        return new ServiceSas(sv, sp, onContainer);
    }

    /** Whether {@code sp} holds any of {@code letters}; AuthorizationPermissionMismatch otherwise. */
    void require(String letters) {
        for (char c : letters.toCharArray()) if (permissions.indexOf(c) >= 0) return;
        throw BlobError.permissionMismatch();
    }

    boolean allows(char letter) {
        return permissions.indexOf(letter) >= 0;
    }

    private static String value(BlobRequest r, String name) {
        String v = r.param(name);
        return v == null ? "" : v;
    }

    /** ISO 8601 UTC as a SAS carries it: a date, or a date and time to the minute, second or fraction. */
    static Instant time(String value, String name) {
        try {
            if (value.length() == 10) return LocalDate.parse(value).atStartOfDay().toInstant(ZoneOffset.UTC);
            return OffsetDateTime.parse(value, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant();
        } catch (DateTimeParseException e) {
            try {
                return OffsetDateTime.parse(value.replace("Z", ":00Z"), DateTimeFormatter.ISO_OFFSET_DATE_TIME)
                        .toInstant();
            } catch (DateTimeParseException again) {
                throw BlobError.authenticationFailed(name + " is not in a valid ISO 8601 format: " + value);
            }
        }
    }

    private static String httpDate(Instant t) {
        return BlobApi.httpDate(t);
    }

    private static BlobError notServed(String what) {
        return BlobError.authenticationFailed(what + " is not served by mock-cloud (a service SAS of version "
                + OLDEST_VERSION + " or later is)");
    }

    /** {@code sip}: one IPv4 address or an inclusive range {@code a-b}. */
    record IpRange(long from, long to) {
        static IpRange parse(String sip) {
            int dash = sip.indexOf('-');
            long a = ipv4(dash < 0 ? sip : sip.substring(0, dash));
            long b = dash < 0 ? a : ipv4(sip.substring(dash + 1));
            return new IpRange(a, b);
        }

        boolean contains(String ip) {
            try {
                long v = ipv4(ip);
                return v >= from && v <= to;
            } catch (BlobError e) {
                return false;
            }
        }

        private static long ipv4(String s) {
            String[] parts = s.trim().split("\\.");
            if (parts.length != 4) throw BlobError.authenticationFailed("Invalid signed IP " + s);
            long v = 0;
            for (String p : parts) {
                int octet;
                try {
                    octet = Integer.parseInt(p);
                } catch (NumberFormatException e) {
                    throw BlobError.authenticationFailed("Invalid signed IP " + s);
                }
                if (octet < 0 || octet > 255) throw BlobError.authenticationFailed("Invalid signed IP " + s);
                v = v * 256 + octet;
            }
            return v;
        }
    }
}

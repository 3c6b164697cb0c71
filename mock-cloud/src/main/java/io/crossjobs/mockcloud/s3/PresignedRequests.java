package io.crossjobs.mockcloud.s3;

import io.crossjobs.mockcloud.objects.QueryStrings;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * Verifies SigV4 query-string authentication (presigned URLs) as S3 does: every parameter present, the credential
 * scope well formed and for s3 in the bucket's region, the access key known, the signature over the canonical
 * request right, and the URL not expired. Source: docs.aws.amazon.com/AmazonS3/latest/API/sigv4-query-string-auth.html.
 */
final class PresignedRequests {
    static final DateTimeFormatter AMZ_DATE = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'");
    /** SigV4 presigned URLs live at most 7 days (X-Amz-Expires ≤ 604800; source as above). */
    static final long MAX_EXPIRES_SECONDS = 604_800;
    private static final List<String> REQUIRED = List.of("X-Amz-Algorithm", "X-Amz-Credential", "X-Amz-Signature",
            "X-Amz-Date", "X-Amz-SignedHeaders", "X-Amz-Expires");

    private PresignedRequests() { }

    static boolean isPresigned(S3Request r) {
        return r.has("X-Amz-Signature") || r.has("X-Amz-Credential") || r.has("X-Amz-Algorithm");
    }

    /**
     * @param bucketRegion the addressed bucket's region, or null when there is no such bucket
     * @return the verified credential
     */
    static Credential verify(S3Request r, S3Config config, String bucketRegion, Instant now, int futureSkewSeconds) {
        for (String p : REQUIRED) {
            if (!r.has(p)) {
                throw S3Error.queryAuth("Query-string authentication version 4 requires the X-Amz-Algorithm, "
                        + "X-Amz-Credential, X-Amz-Signature, X-Amz-Date, X-Amz-SignedHeaders, and X-Amz-Expires "
                        + "parameters.");
            }
        }
        if (!SigV4Crypto.ALGORITHM.equals(r.param("X-Amz-Algorithm"))) {
            throw S3Error.queryAuth("X-Amz-Algorithm only supports \"AWS4-HMAC-SHA256\"");
        }
        Instant signedAt;
        try {
            signedAt = LocalDateTime.parse(r.param("X-Amz-Date"), AMZ_DATE).toInstant(ZoneOffset.UTC);
        } catch (DateTimeParseException e) {
            throw S3Error.queryAuth("X-Amz-Date must be in the ISO8601 Long Format \"yyyyMMdd'T'HHmmss'Z'\"");
        }
        long expires;
        try {
            expires = Long.parseLong(r.param("X-Amz-Expires"));
        } catch (NumberFormatException e) {
            throw S3Error.queryAuth("X-Amz-Expires should be a number");
        }
        if (expires < 0) throw S3Error.queryAuth("X-Amz-Expires must be non-negative");
        if (expires > MAX_EXPIRES_SECONDS) {
            throw new S3Error(403, "AuthorizationQueryParametersError", "X-Amz-Expires must be less than a week "
                    + "(in seconds); that is, the given X-Amz-Expires must be less than 604800 seconds");
        }
        Credential c = Credential.parse(r.param("X-Amz-Credential"));
        if (c == null) {
            throw S3Error.queryAuth("Error parsing the X-Amz-Credential parameter; the Credential is mal-formed; "
                    + "expecting \"<YOUR-AKID>/YYYYMMDD/REGION/SERVICE/aws4_request\".");
        }
        if (!"s3".equals(c.service())) {
            throw S3Error.queryAuth("Error parsing the X-Amz-Credential parameter; incorrect service \""
                    + c.service() + "\". This endpoint belongs to \"s3\".");
        }
        if (!c.date().equals(r.param("X-Amz-Date").substring(0, 8))) {
            throw S3Error.queryAuth("Error parsing the X-Amz-Credential parameter; the date in the credential "
                    + "does not match X-Amz-Date");
        }
        if (bucketRegion != null && !bucketRegion.equals(c.region())) {
            throw S3Error.queryAuth("Error parsing the X-Amz-Credential parameter; the region '" + c.region()
                    + "' is wrong; expecting '" + bucketRegion + "'").detail("Region", bucketRegion)
                    .header("x-amz-bucket-region", bucketRegion);
        }
        List<String> signed = Arrays.asList(r.param("X-Amz-SignedHeaders").split(";"));
        if (!signed.contains("host")) {
            throw S3Error.queryAuth("Query-string authentication requires the host header to be signed");
        }
        if (!config.accessKeyId().equals(c.accessKeyId())) {
            throw new S3Error(403, "InvalidAccessKeyId", "The AWS Access Key Id you provided does not exist in "
                    + "our records.").detail("AWSAccessKeyId", c.accessKeyId());
        }
        String canonical = canonicalRequest(r, signed);
        String stringToSign = SigV4Crypto.ALGORITHM + "\n" + r.param("X-Amz-Date") + "\n" + c.scope() + "\n"
                + SigV4Crypto.sha256Hex(canonical);
        String expected = SigV4Crypto.hex(SigV4Crypto.hmac(SigV4Crypto.signingKey(config.secretAccessKey(),
                c.date(), c.region(), c.service()), stringToSign));
        String provided = r.param("X-Amz-Signature");
        if (!SigV4Crypto.sameSignature(expected, provided)) {
            throw new S3Error(403, "SignatureDoesNotMatch", "The request signature we calculated does not match "
                    + "the signature you provided. Check your key and signing method.")
                    .detail("AWSAccessKeyId", c.accessKeyId()).detail("StringToSign", stringToSign)
                    .detail("SignatureProvided", provided).detail("CanonicalRequest", canonical);
        }
        if (signedAt.isAfter(now.plusSeconds(futureSkewSeconds))) {
            throw S3Error.accessDenied("Request is not valid yet");
        }
        Instant expiry = signedAt.plusSeconds(expires);
        if (!now.isBefore(expiry)) {
            throw S3Error.accessDenied("Request has expired").detail("X-Amz-Expires", expires)
                    .detail("Expires", expiry.toString()).detail("ServerTime", now.toString());
        }
        return c;
    }

    static String canonicalRequest(S3Request r, List<String> signedHeaders) {
        StringBuilder sb = new StringBuilder();
        sb.append(r.method()).append('\n').append(canonicalUri(r.rawPath())).append('\n');
        List<String[]> params = new ArrayList<>();
        for (Map.Entry<String, String> e : r.query()) {
            if (e.getKey().equals("X-Amz-Signature")) continue;
            params.add(new String[] {SigV4Crypto.encode(e.getKey(), false), SigV4Crypto.encode(e.getValue(), false)});
        }
        params.sort(Comparator.<String[], String>comparing(p -> p[0]).thenComparing(p -> p[1]));
        for (int i = 0; i < params.size(); i++) {
            if (i > 0) sb.append('&');
            sb.append(params.get(i)[0]).append('=').append(params.get(i)[1]);
        }
        sb.append('\n');
        for (String h : signedHeaders) {
            String v = r.header(h);
            sb.append(h).append(':').append(v == null ? "" : v.trim().replaceAll(" +", " ")).append('\n');
        }
        sb.append('\n').append(String.join(";", signedHeaders)).append('\n');
        String payload = r.param("X-Amz-Content-Sha256");
        sb.append(payload == null ? "UNSIGNED-PAYLOAD" : payload);
        return sb.toString();
    }

    /** Each path segment decoded and encoded again the canonical way; S3 does not normalise the path. */
    static String canonicalUri(String rawPath) {
        String[] segments = rawPath.split("/", -1);
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < segments.length; i++) {
            if (i > 0) sb.append('/');
            sb.append(SigV4Crypto.encode(QueryStrings.decode(segments[i]), false));
        }
        return sb.length() == 0 ? "/" : sb.toString();
    }
}

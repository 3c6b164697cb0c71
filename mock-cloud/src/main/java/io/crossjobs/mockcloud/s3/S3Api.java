package io.crossjobs.mockcloud.s3;

import io.crossjobs.mockcloud.objects.QueryStrings;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.function.Supplier;
import java.util.regex.Pattern;

import io.crossjobs.mockcloud.account.AccountState;

import org.w3c.dom.Element;

import io.crossjobs.mockcloud.ec2.XmlWriter;
import io.crossjobs.mockcloud.objects.Bucket;
import io.crossjobs.mockcloud.objects.ListPage;
import io.crossjobs.mockcloud.objects.ListQuery;
import io.crossjobs.mockcloud.objects.ObjectAttributes;
import io.crossjobs.mockcloud.objects.ObjectLimits;
import io.crossjobs.mockcloud.objects.ObjectReader;
import io.crossjobs.mockcloud.objects.ObjectStore;
import io.crossjobs.mockcloud.objects.ObjectStoreException;
import io.crossjobs.mockcloud.objects.StagedData;
import io.crossjobs.mockcloud.objects.StoredObject;
import io.crossjobs.mockcloud.sim.Cloud;

/**
 * The S3 REST API subset the AWS SDK v2 uses, path-style ({@code /bucket/key}), over the shared object store's
 * {@code aws} namespace. Sources per check are in the README's table; the API reference is
 * docs.aws.amazon.com/AmazonS3/latest/API/.
 */
final class S3Api {
    /** Object keys are at most 1024 bytes of UTF-8 (docs.aws.amazon.com/AmazonS3/latest/userguide/object-keys.html). */
    static final int MAX_KEY_BYTES = 1024;
    /** User-defined metadata in a PUT: 2 KB (docs.aws.amazon.com/AmazonS3/latest/userguide/UsingMetadata.html). */
    static final int MAX_USER_METADATA_BYTES = 2048;
    /** A multipart object is at most 5 TiB (docs.aws.amazon.com/AmazonS3/latest/userguide/qfacts.html). */
    static final long MAX_OBJECT_BYTES = 5L << 40;
    /** Part numbers 1..10,000 (docs.aws.amazon.com/AmazonS3/latest/userguide/qfacts.html). */
    static final int MAX_PARTS = 10_000;
    /** ListObjectsV2 returns at most 1,000 keys; larger max-keys are capped (API reference, ListObjectsV2). */
    static final int MAX_LIST_KEYS = 1000;
    /** DeleteObjects takes at most 1,000 keys (API reference, DeleteObjects). */
    static final int MAX_DELETE_KEYS = 1000;
    static final String DEFAULT_CONTENT_TYPE = "binary/octet-stream";
    private static final Pattern HEADER_CREDENTIAL = Pattern.compile("Credential=([^,\\s]+)");
    private static final Pattern HEX_SHA256 = Pattern.compile("^[0-9a-f]{64}$");
    private static final DateTimeFormatter HTTP_DATE = io.crossjobs.mockcloud.objects.HttpDates.FORMAT;
    private static final Cloud AWS = Cloud.AWS;

    private final ObjectStore store;
    private final S3Config config;
    private final String accountId;
    private final Clock clock;
    private final MultipartUploads multipart = new MultipartUploads();
    private final Supplier<AccountState> account;

    S3Api(ObjectStore store, S3Config config, String accountId, Clock clock, Supplier<AccountState> account) {
        this.account = account;
        this.store = store;
        this.config = config;
        this.accountId = accountId;
        this.clock = clock;
        store.limits(AWS, new ObjectLimits(MAX_KEY_BYTES, config.maxPutBytes(), MAX_OBJECT_BYTES));
        store.onReset(multipart::clear);
    }

    /** The bucket and key a path names; key null for bucket-level requests, bucket null for the service. */
    record Target(String bucket, String key) { }

    static Target target(String rawPath) {
        String path = rawPath.startsWith("/") ? rawPath.substring(1) : rawPath;
        if (path.isEmpty()) return new Target(null, null);
        int slash = path.indexOf('/');
        if (slash < 0 || slash == path.length() - 1) {
            return new Target(QueryStrings.decode(slash < 0 ? path : path.substring(0, slash)), null);
        }
        return new Target(QueryStrings.decode(path.substring(0, slash)),
                QueryStrings.decode(path.substring(slash + 1)));
    }

    /**
     * Checks made before the body is read, as S3 answers them without taking the upload: a PUT without a length, or
     * declaring more than the single-PUT limit.
     */
    Optional<S3Error> refuseBeforeBody(String method, Map<String, String> headers) {
        if (!method.equals("PUT")) return Optional.empty();
        String declared = headers.get("x-amz-decoded-content-length");
        if (declared == null) declared = headers.get("Content-Length");
        if (declared == null) {
            return Optional.of(new S3Error(411, "MissingContentLength", "You must provide the Content-Length HTTP "
                    + "header."));
        }
        try {
            long size = Long.parseLong(declared.trim());
            if (size > config.maxPutBytes()) return Optional.of(tooLarge(size));
        } catch (NumberFormatException e) {
            return Optional.of(S3Error.invalidArgument("Invalid length", "Content-Length", declared));
        }
        return Optional.empty();
    }

    S3Response handle(S3Request r) {
        Target t = target(r.rawPath());
        boolean formPost = r.form() != null;
        refuseRevokedKey(r, formPost);
        if (formPost) return postObject(r, t);
        String region;
        try {
            region = authenticate(r, t);
            authorize(permission(r, t));
        } catch (S3Error e) {
            throw withBucketRegion(e, r, t);
        }
        if (t.bucket() == null) {
            if (r.method().equals("GET")) return listBuckets();
            throw new S3Error(405, "MethodNotAllowed", "The specified method is not allowed against this resource.");
        }
        if (t.key() == null) return bucketRequest(r, t.bucket(), region);
        return objectRequest(r, t.bucket(), t.key());
    }

    // ---- authentication

    /**
     * A revoked (deleted or deactivated) key is unknown to S3: 403 {@code InvalidAccessKeyId}, for the SDK's own
     * calls and for URLs and policies it signed before, since a pre-signed request carries its signer's credentials
     * (docs.aws.amazon.com/AmazonS3/latest/userguide/using-presigned-url.html: "The credentials used by the presigned
     * URL are those of the ... principal who generated the URL").
     */
    private void refuseRevokedKey(S3Request r, boolean formPost) {
        boolean signed = formPost ? r.form().containsKey("x-amz-credential") || r.form().containsKey("X-Amz-Credential")
                : r.header("Authorization") != null || PresignedRequests.isPresigned(r);
        if (signed && account.get().credentialsRevoked()) {
            throw new S3Error(403, "InvalidAccessKeyId", "The AWS Access Key Id you provided does not exist in our "
                    + "records.");
        }
    }

    /**
     * A HeadBucket of an existing bucket names the bucket's region ({@code x-amz-bucket-region}) whatever the answer,
     * refused ones included, "regardless of the permissions on the bucket", so that a client can sign for the right
     * region (API reference, HeadBucket).
     */
    private S3Error withBucketRegion(S3Error e, S3Request r, Target t) {
        if (r.method().equals("HEAD") && t.bucket() != null && t.key() == null
                && !e.headers().containsKey("x-amz-bucket-region")) {
            store.bucket(AWS, t.bucket()).ifPresent(b -> e.header("x-amz-bucket-region", b.location()));
        }
        return e;
    }

    /** A permission the principal lacks: 403 {@code AccessDenied}, pre-signed requests included (same source). */
    private void authorize(String permission) {
        if (account.get().deniedPermissions().contains(permission)) throw S3Error.accessDenied("Access Denied");
    }

    /**
     * The IAM action a request needs (docs.aws.amazon.com/AmazonS3/latest/userguide/using-with-s3-policy-actions.html;
     * HeadBucket and ListObjectsV2: {@code s3:ListBucket}, DeleteObjects: {@code s3:DeleteObject} per key).
     */
    static String permission(S3Request r, Target t) {
        String m = r.method();
        if (t.bucket() == null) return "s3:ListAllMyBuckets";
        if (t.key() == null) {
            return switch (m) {
                case "PUT" -> "s3:CreateBucket";
                case "DELETE" -> "s3:DeleteBucket";
                case "POST" -> r.has("delete") ? "s3:DeleteObject" : "s3:PutObject";
                default -> r.has("location") ? "s3:GetBucketLocation" : "s3:ListBucket";
            };
        }
        return switch (m) {
            case "GET", "HEAD" -> "s3:GetObject";
            case "DELETE" -> r.has("uploadId") ? "s3:AbortMultipartUpload" : "s3:DeleteObject";
            default -> "s3:PutObject";
        };
    }

    /** @return the region the request was signed for */
    private String authenticate(S3Request r, Target t) {
        String authorization = r.header("Authorization");
        String bucketRegion = t.bucket() == null ? null
                : store.bucket(AWS, t.bucket()).map(Bucket::location).orElse(null);
        if (PresignedRequests.isPresigned(r)) {
            if (authorization != null) {
                throw S3Error.invalidArgument("Only one auth mechanism allowed; only the X-Amz-Algorithm query "
                        + "parameter, Signature query string parameter or the Authorization header should be "
                        + "specified", "Authorization", authorization);
            }
            boolean creating = r.method().equals("PUT") && t.key() == null;
            return PresignedRequests.verify(r, config, creating ? null : bucketRegion, clock.instant(),
                    config.futureSkewSeconds()).region();
        }
        if (authorization == null) throw S3Error.accessDenied("Access Denied");
        if (!authorization.startsWith(SigV4Crypto.ALGORITHM + " ")) {
            throw new S3Error(400, "InvalidRequest", "The authorization mechanism you have provided is not "
                    + "supported. Please use AWS4-HMAC-SHA256.");
        }
        Matcher m = HEADER_CREDENTIAL.matcher(authorization);
        Credential c = m.find() ? Credential.parse(m.group(1)) : null;
        if (c == null) {
            throw new S3Error(400, "AuthorizationHeaderMalformed", "The authorization header is malformed; the "
                    + "Credential is mal-formed; expecting \"<YOUR-AKID>/YYYYMMDD/REGION/SERVICE/aws4_request\".");
        }
        if (!"s3".equals(c.service())) {
            throw new S3Error(400, "AuthorizationHeaderMalformed", "The authorization header is malformed; "
                    + "incorrect service \"" + c.service() + "\". This endpoint belongs to \"s3\".");
        }
        if (r.header("x-amz-content-sha256") == null) {
            throw new S3Error(400, "InvalidRequest", "Missing required header for this request: "
                    + "x-amz-content-sha256");
        }
        boolean creating = r.method().equals("PUT") && t.key() == null;
        if (bucketRegion != null && !creating && !bucketRegion.equals(c.region())) {
            throw new S3Error(400, "AuthorizationHeaderMalformed", "The authorization header is malformed; the "
                    + "region '" + c.region() + "' is wrong; expecting '" + bucketRegion + "'")
                    .detail("Region", bucketRegion).header("x-amz-bucket-region", bucketRegion);
        }
        return c.region();
    }

    // ---- service and buckets

    private S3Response listBuckets() {
        XmlWriter w = new XmlWriter().open("ListAllMyBucketsResult", S3Xml.NS).open("Owner").leaf("ID", accountId)
                .close("Owner").open("Buckets");
        for (Bucket b : store.buckets(AWS)) {
            w.open("Bucket").leaf("Name", b.name()).leaf("CreationDate", b.created().toString())
                    .leaf("BucketRegion", b.location()).close("Bucket");
        }
        return S3Response.xml(200, w.close("Buckets").close("ListAllMyBucketsResult").toString());
    }

    private S3Response bucketRequest(S3Request r, String bucket, String region) {
        switch (r.method()) {
            case "PUT":
                return createBucket(r, bucket, region);
            case "HEAD":
                Bucket b = existingBucket(bucket);
                return S3Response.empty(200).header("x-amz-bucket-region", b.location());
            case "DELETE":
                existingBucket(bucket);
                try {
                    store.deleteBucket(AWS, bucket);
                } catch (ObjectStoreException e) {
                    throw new S3Error(409, "BucketNotEmpty", "The bucket you tried to delete is not empty")
                            .detail("BucketName", bucket);
                }
                return S3Response.empty(204);
            case "GET":
                if (r.has("location")) {
                    Bucket loc = existingBucket(bucket);
                    // GetBucketLocation answers an empty constraint for us-east-1
                    return S3Response.xml(200, new XmlWriter().open("LocationConstraint", S3Xml.NS).toString()
                            + (loc.location().equals("us-east-1") ? "" : XmlWriter.escape(loc.location()))
                            + "</LocationConstraint>");
                }
                if (!"2".equals(r.param("list-type"))) {
                    throw new S3Error(501, "NotImplemented", "mock-cloud serves ListObjectsV2 (list-type=2) only");
                }
                return listObjectsV2(r, bucket);
            case "POST":
                if (r.has("delete")) return deleteObjects(r, bucket);
                throw new S3Error(405, "MethodNotAllowed", "The specified method is not allowed against this "
                        + "resource.");
            default:
                throw new S3Error(405, "MethodNotAllowed", "The specified method is not allowed against this "
                        + "resource.");
        }
    }

    private S3Response createBucket(S3Request r, String bucket, String region) {
        if (!BucketNames.valid(bucket)) {
            throw new S3Error(400, "InvalidBucketName", "The specified bucket is not valid.")
                    .detail("BucketName", bucket);
        }
        String constraint = null;
        try (StagedData body = receive(r, true).data()) {
            if (body.size() > 0) {
                Element config = xml(body);
                if (!"CreateBucketConfiguration".equals(S3Xml.name(config))) throw S3Error.malformedXml();
                constraint = S3Xml.text(config, "LocationConstraint");
                if (constraint != null && constraint.isBlank()) constraint = null;
            }
        }
        if (region.equals("us-east-1")) {
            if (constraint != null && constraint.equals("us-east-1")) {
                throw new S3Error(400, "InvalidLocationConstraint", "The specified location-constraint is not "
                        + "valid").detail("LocationConstraint", constraint);
            }
        }
        if (constraint == null ? !region.equals("us-east-1") : !constraint.equals(region)) {
            throw new S3Error(400, "IllegalLocationConstraintException", "The "
                    + (constraint == null ? "unspecified" : constraint) + " location constraint is incompatible "
                    + "for the region specific endpoint this request was sent to.");
        }
        Optional<Bucket> existing = store.bucket(AWS, bucket);
        if (existing.isPresent()) {
            // for legacy compatibility, us-east-1 answers 200 to re-creating a bucket you own there
            if (region.equals("us-east-1") && existing.get().location().equals("us-east-1")) {
                return S3Response.empty(200).header("Location", "/" + bucket);
            }
            throw new S3Error(409, "BucketAlreadyOwnedByYou", "Your previous request to create the named bucket "
                    + "succeeded and you already own it.").detail("BucketName", bucket);
        }
        if (store.buckets(AWS).size() >= config.maxBuckets()) {
            throw new S3Error(400, "TooManyBuckets", "You have attempted to create more buckets than allowed");
        }
        try {
            store.createBucket(AWS, bucket, region);
        } catch (ObjectStoreException e) {
            throw new S3Error(409, "BucketAlreadyOwnedByYou", "Your previous request to create the named bucket "
                    + "succeeded and you already own it.").detail("BucketName", bucket);
        }
        return S3Response.empty(200).header("Location", "/" + bucket);
    }

    private Bucket existingBucket(String bucket) {
        return store.bucket(AWS, bucket).orElseThrow(() -> S3Error.noSuchBucket(bucket));
    }

    private S3Response listObjectsV2(S3Request r, String bucket) {
        existingBucket(bucket);
        String prefix = r.param("prefix") == null ? "" : r.param("prefix");
        String delimiter = r.param("delimiter");
        String startAfter = r.param("start-after");
        String token = r.param("continuation-token");
        String encoding = r.param("encoding-type");
        if (encoding != null && !encoding.equals("url")) {
            throw S3Error.invalidArgument("Invalid Encoding Method specified in Request", "encoding-type", encoding);
        }
        int maxKeys = MAX_LIST_KEYS;
        if (r.param("max-keys") != null) {
            try {
                maxKeys = Integer.parseInt(r.param("max-keys"));
            } catch (NumberFormatException e) {
                throw S3Error.invalidArgument("Provided max-keys not an integer or within integer range",
                        "max-keys", r.param("max-keys"));
            }
            if (maxKeys < 0) {
                throw S3Error.invalidArgument("Argument maxKeys must be an integer between 0 and 2147483647",
                        "maxKeys", r.param("max-keys"));
            }
        }
        maxKeys = Math.min(maxKeys, MAX_LIST_KEYS);
        String resume = startAfter;
        if (token != null) resume = decodeToken(token);
        ListPage page = maxKeys == 0 ? new ListPage(List.of(), List.of(), null)
                : store.list(AWS, bucket, new ListQuery(prefix, delimiter, resume, maxKeys));
        boolean url = "url".equals(encoding);
        XmlWriter w = new XmlWriter().open("ListBucketResult", S3Xml.NS).leaf("Name", bucket)
                .leaf("Prefix", enc(prefix, url)).leaf("Delimiter", delimiter == null ? null : enc(delimiter, url))
                .leaf("MaxKeys", maxKeys).leaf("EncodingType", encoding)
                .leaf("KeyCount", page.objects().size() + page.commonPrefixes().size())
                .leaf("IsTruncated", page.truncated()).leaf("ContinuationToken", token)
                .leaf("NextContinuationToken", page.truncated() ? encodeToken(page.resumeAfter()) : null)
                .leaf("StartAfter", startAfter == null ? null : enc(startAfter, url));
        for (StoredObject o : page.objects()) {
            w.open("Contents").leaf("Key", enc(o.key(), url)).leaf("LastModified", o.updated().toString())
                    .leaf("ETag", quote(o.etag())).leaf("Size", o.size()).leaf("StorageClass", "STANDARD")
                    .close("Contents");
        }
        for (String p : page.commonPrefixes()) {
            w.open("CommonPrefixes").leaf("Prefix", enc(p, url)).close("CommonPrefixes");
        }
        return S3Response.xml(200, w.close("ListBucketResult").toString());
    }

    private static String enc(String s, boolean url) {
        return url ? SigV4Crypto.encode(s, true) : s;
    }

    private static String encodeToken(String resumeAfter) {
        return Base64.getEncoder().encodeToString(("1:" + resumeAfter).getBytes(StandardCharsets.UTF_8));
    }

    private static String decodeToken(String token) {
        try {
            String s = new String(Base64.getDecoder().decode(token), StandardCharsets.UTF_8);
            if (s.startsWith("1:")) return s.substring(2);
        } catch (IllegalArgumentException e) {
            // falls through to S3's error
        }
        throw S3Error.invalidArgument("The continuation token provided is incorrect", "continuation-token", token);
    }

    private S3Response deleteObjects(S3Request r, String bucket) {
        existingBucket(bucket);
        Received body = receive(r, true);
        List<String> keys = new ArrayList<>();
        boolean quiet;
        try (StagedData data = body.data()) {
            if (body.checksums().isEmpty() && r.header("Content-MD5") == null) {
                throw new S3Error(400, "InvalidRequest", "Missing required header for this request: Content-MD5");
            }
            Element delete = xml(data);
            if (!"Delete".equals(S3Xml.name(delete))) throw S3Error.malformedXml();
            quiet = "true".equalsIgnoreCase(S3Xml.text(delete, "Quiet"));
            for (Element o : S3Xml.children(delete, "Object")) {
                String key = S3Xml.text(o, "Key");
                if (key == null) throw S3Error.malformedXml();
                keys.add(key);
            }
        }
        if (keys.isEmpty() || keys.size() > MAX_DELETE_KEYS) throw S3Error.malformedXml();
        XmlWriter w = new XmlWriter().open("DeleteResult", S3Xml.NS);
        for (String key : keys) {
            store.delete(AWS, bucket, key, null);
            if (!quiet) w.open("Deleted").leaf("Key", key).close("Deleted");
        }
        return S3Response.xml(200, w.close("DeleteResult").toString());
    }

    /** The decoded body's document element (the raw body may be aws-chunked). */
    private static Element xml(StagedData data) {
        try (InputStream in = data.open()) {
            return S3Xml.parse(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    // ---- objects

    private S3Response objectRequest(S3Request r, String bucket, String key) {
        existingBucket(bucket);
        if (key.getBytes(StandardCharsets.UTF_8).length > MAX_KEY_BYTES) {
            throw new S3Error(400, "KeyTooLongError", "Your key is too long")
                    .detail("MaxSizeAllowed", MAX_KEY_BYTES)
                    .detail("Size", key.getBytes(StandardCharsets.UTF_8).length);
        }
        switch (r.method()) {
            case "PUT":
                if (r.has("uploadId") || r.has("partNumber")) return uploadPart(r, bucket, key);
                return putObject(r, bucket, key);
            case "GET":
            case "HEAD":
                return getObject(r, bucket, key, r.method().equals("HEAD"));
            case "DELETE":
                if (r.has("uploadId")) return abortMultipart(r, bucket, key);
                store.delete(AWS, bucket, key, null);
                return S3Response.empty(204);
            case "POST":
                if (r.has("uploads")) return createMultipart(r, bucket, key);
                if (r.has("uploadId")) return completeMultipart(r, bucket, key);
                throw new S3Error(405, "MethodNotAllowed", "The specified method is not allowed against this "
                        + "resource.");
            default:
                throw new S3Error(405, "MethodNotAllowed", "The specified method is not allowed against this "
                        + "resource.");
        }
    }

    private S3Response putObject(S3Request r, String bucket, String key) {
        ObjectAttributes attrs = attributes(r);
        Received body = receive(r, false);
        Map<String, String> props = new LinkedHashMap<>();
        body.checksums().forEach((alg, v) -> props.put(Checksums.header(alg), v));
        StoredObject o = store.put(AWS, bucket, key, body.data(), new ObjectAttributes(attrs.contentType(),
                attrs.userMetadata(), null, props), null);
        S3Response out = S3Response.empty(200).header("ETag", quote(o.etag()));
        props.forEach(out::header);
        return out;
    }

    private ObjectAttributes attributes(S3Request r) {
        Map<String, String> meta = new LinkedHashMap<>();
        int bytes = 0;
        for (Map.Entry<String, String> h : r.headers().entrySet()) {
            String name = h.getKey().toLowerCase(Locale.ROOT);
            if (name.startsWith("x-amz-meta-")) {
                String k = name.substring("x-amz-meta-".length());
                meta.put(k, h.getValue());
                bytes += k.getBytes(StandardCharsets.UTF_8).length + h.getValue().getBytes(StandardCharsets.UTF_8)
                        .length;
            }
        }
        if (bytes > MAX_USER_METADATA_BYTES) {
            throw new S3Error(400, "MetadataTooLarge", "Your metadata headers exceed the maximum allowed metadata "
                    + "size").detail("Size", bytes).detail("MaxSizeAllowed", MAX_USER_METADATA_BYTES);
        }
        String type = r.header("Content-Type");
        return ObjectAttributes.of(type == null || type.isBlank() ? DEFAULT_CONTENT_TYPE : type, meta);
    }

    private S3Response getObject(S3Request r, String bucket, String key, boolean head) {
        ObjectReader reader;
        try {
            reader = store.open(AWS, bucket, key);
        } catch (ObjectStoreException e) {
            if (head) throw new S3Error(404, "NoSuchKey", "Not Found");
            throw S3Error.noSuchKey(key);
        }
        try {
            StoredObject o = reader.object();
            long[] range = range(r.header("Range"), o.size());
            S3Response out = range == null
                    ? S3Response.stream(200, reader, 0, o.size())
                    : S3Response.stream(206, reader, range[0], range[1] - range[0] + 1)
                            .header("Content-Range", "bytes " + range[0] + "-" + range[1] + "/" + o.size());
            out.header("ETag", quote(o.etag())).header("Last-Modified", HTTP_DATE.format(o.updated()))
                    .header("Content-Type", o.contentType()).header("Accept-Ranges", "bytes");
            o.userMetadata().forEach((k, v) -> out.header("x-amz-meta-" + k, v));
            if (range == null && "ENABLED".equalsIgnoreCase(r.header("x-amz-checksum-mode"))) {
                o.properties().forEach(out::header);
            }
            if (head) {
                reader.close();
                return new S3Response(out.status(), out.headers(), null, null, 0, out.length());
            }
            return out;
        } catch (RuntimeException e) {
            reader.close();
            throw e;
        }
    }

    /**
     * A single {@code bytes=} range as [first, last]; null to send the whole object (no header, or one S3 ignores:
     * not of that form, or several ranges). InvalidRange when the first byte is past the end.
     */
    static long[] range(String header, long size) {
        if (header == null) return null;
        Matcher m = Pattern.compile("^bytes=(\\d*)-(\\d*)$").matcher(header.trim());
        if (!m.matches() || (m.group(1).isEmpty() && m.group(2).isEmpty())) return null;
        long first;
        long last;
        try {
            if (m.group(1).isEmpty()) {
                long suffix = Long.parseLong(m.group(2));
                if (suffix == 0 || size == 0) throw invalidRange(header, size);
                first = Math.max(0, size - suffix);
                last = size - 1;
            } else {
                first = Long.parseLong(m.group(1));
                last = m.group(2).isEmpty() ? size - 1 : Math.min(Long.parseLong(m.group(2)), size - 1);
                if (!m.group(2).isEmpty() && Long.parseLong(m.group(2)) < first) return null;
                if (first >= size) throw invalidRange(header, size);
            }
        } catch (NumberFormatException e) {
            return null;
        }
        return new long[] {first, last};
    }

    private static S3Error invalidRange(String header, long size) {
        return new S3Error(416, "InvalidRange", "The requested range is not satisfiable")
                .detail("RangeRequested", header).detail("ActualObjectSize", size);
    }

    // ---- multipart

    private S3Response createMultipart(S3Request r, String bucket, String key) {
        ObjectAttributes attrs = attributes(r);
        String alg = r.header("x-amz-checksum-algorithm");
        if (alg != null && !Checksums.ALGORITHMS.contains(alg.toLowerCase(Locale.ROOT))) {
            throw new S3Error(400, "InvalidRequest", "Checksum algorithm provided is unsupported.");
        }
        MultipartUploads.Upload u = multipart.create(bucket, key, attrs,
                alg == null ? null : alg.toLowerCase(Locale.ROOT), clock.instant());
        S3Response out = S3Response.xml(200, new XmlWriter().open("InitiateMultipartUploadResult", S3Xml.NS)
                .leaf("Bucket", bucket).leaf("Key", key).leaf("UploadId", u.id())
                .close("InitiateMultipartUploadResult").toString());
        if (alg != null) out.header("x-amz-checksum-algorithm", alg.toUpperCase(Locale.ROOT));
        return out;
    }

    private MultipartUploads.Upload upload(S3Request r, String bucket, String key) {
        MultipartUploads.Upload u = multipart.get(r.param("uploadId"), bucket, key);
        if (u == null) {
            throw new S3Error(404, "NoSuchUpload", "The specified upload does not exist. The upload ID may be "
                    + "invalid, or the upload may have been aborted or completed.")
                    .detail("UploadId", r.param("uploadId"));
        }
        return u;
    }

    private S3Response uploadPart(S3Request r, String bucket, String key) {
        int number;
        try {
            number = Integer.parseInt(r.param("partNumber"));
        } catch (NumberFormatException | NullPointerException e) {
            number = -1;
        }
        if (number < 1 || number > MAX_PARTS) {
            throw S3Error.invalidArgument("Part number must be an integer between 1 and 10000, inclusive",
                    "partNumber", r.param("partNumber"));
        }
        MultipartUploads.Upload u = upload(r, bucket, key);
        Received body = receive(r, false);
        if (u.checksumAlgorithm() != null && !body.checksums().containsKey(u.checksumAlgorithm())) {
            body.data().close();
            throw new S3Error(400, "InvalidRequest", "The upload was created using a "
                    + u.checksumAlgorithm().toUpperCase(Locale.ROOT) + " checksum. The part " + number
                    + " was not provided with a checksum of that type.");
        }
        String etag = body.data().md5Hex();
        multipart.put(u, new MultipartUploads.Part(number, body.data(), etag, body.checksums()));
        S3Response out = S3Response.empty(200).header("ETag", quote(etag));
        body.checksums().forEach((alg, v) -> out.header(Checksums.header(alg), v));
        return out;
    }

    private S3Response abortMultipart(S3Request r, String bucket, String key) {
        multipart.remove(upload(r, bucket, key));
        return S3Response.empty(204);
    }

    private S3Response completeMultipart(S3Request r, String bucket, String key) {
        MultipartUploads.Upload u = upload(r, bucket, key);
        Received body = receive(r, true);
        Element complete;
        try (StagedData data = body.data()) {
            complete = xml(data);
        }
        if (!"CompleteMultipartUpload".equals(S3Xml.name(complete))) throw S3Error.malformedXml();
        List<Element> listed = S3Xml.children(complete, "Part");
        if (listed.isEmpty()) {
            throw new S3Error(400, "MalformedXML", "The XML you provided was not well-formed or did not validate "
                    + "against our published schema");
        }
        List<MultipartUploads.Part> parts = new ArrayList<>();
        int previous = 0;
        for (Element p : listed) {
            int number;
            try {
                number = Integer.parseInt(String.valueOf(S3Xml.text(p, "PartNumber")).trim());
            } catch (NumberFormatException e) {
                throw S3Error.malformedXml();
            }
            if (number <= previous) {
                throw new S3Error(400, "InvalidPartOrder", "The list of parts was not in ascending order. The parts "
                        + "list must be specified in order by part number.");
            }
            previous = number;
            MultipartUploads.Part part = u.parts().get(number);
            String etag = S3Xml.text(p, "ETag");
            if (part == null || etag == null || !unquote(etag).equals(part.etag())) {
                throw new S3Error(400, "InvalidPart", "One or more of the specified parts could not be found. The "
                        + "part may not have been uploaded, or the specified entity tag may not match the part's "
                        + "entity tag.").detail("PartNumber", number).detail("ETag", etag);
            }
            if (u.checksumAlgorithm() != null) {
                String given = S3Xml.text(p, "Checksum" + checksumElement(u.checksumAlgorithm()));
                if (given == null || !given.equals(part.checksums().get(u.checksumAlgorithm()))) {
                    throw new S3Error(400, "InvalidPart", "One or more of the specified parts could not be found. "
                            + "The part may not have been uploaded, or the specified entity tag may not match the "
                            + "part's entity tag.").detail("PartNumber", number);
                }
            }
            parts.add(part);
        }
        for (int i = 0; i < parts.size() - 1; i++) {
            if (parts.get(i).data().size() < config.minPartBytes()) {
                throw new S3Error(400, "EntityTooSmall", "Your proposed upload is smaller than the minimum allowed "
                        + "size").detail("ProposedSize", parts.get(i).data().size())
                        .detail("MinSizeAllowed", config.minPartBytes()).detail("PartNumber", parts.get(i).number())
                        .detail("ETag", quote(parts.get(i).etag()));
            }
        }
        MessageDigest md5 = md5();
        for (MultipartUploads.Part p : parts) md5.update(p.data().md5());
        String etag = HexFormat.of().formatHex(md5.digest()) + "-" + parts.size();
        StagedData whole;
        try {
            whole = store.concat(parts.stream().map(MultipartUploads.Part::data).toList());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        StoredObject o;
        try {
            o = store.put(AWS, bucket, key, whole, new ObjectAttributes(u.attributes().contentType(),
                    u.attributes().userMetadata(), etag, Map.of()), null);
        } finally {
            whole.close();
        }
        multipart.remove(u);
        return S3Response.xml(200, new XmlWriter().open("CompleteMultipartUploadResult", S3Xml.NS)
                .leaf("Location", "/" + bucket + "/" + SigV4Crypto.encode(key, true)).leaf("Bucket", bucket)
                .leaf("Key", key).leaf("ETag", quote(o.etag())).close("CompleteMultipartUploadResult").toString());
    }

    private static String checksumElement(String algorithm) {
        return switch (algorithm) {
            case "crc32" -> "CRC32";
            case "crc32c" -> "CRC32C";
            case "crc64nvme" -> "CRC64NVME";
            case "sha1" -> "SHA1";
            default -> "SHA256";
        };
    }

    // ---- POST Object (browser form upload)

    private S3Response postObject(S3Request r, Target t) {
        if (t.bucket() == null || t.key() != null) {
            throw new S3Error(405, "MethodNotAllowed", "The specified method is not allowed against this resource.");
        }
        Bucket bucket = existingBucket(t.bucket());
        S3Request.FormFile file = r.file();
        PostPolicy.Grant grant = PostPolicy.verify(t.bucket(), r.form(), file == null ? null : file.fileName(),
                config, bucket.location(), clock.instant());
        authorize("s3:PutObject");
        if (file == null) {
            throw S3Error.invalidArgument("POST requires exactly one file upload per request.", "file", "0");
        }
        long size;
        try {
            size = Files.size(file.path());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (size > config.maxPutBytes() || size > grant.maxSize()) {
            throw new S3Error(400, "EntityTooLarge", "Your proposed upload exceeds the maximum allowed size")
                    .detail("ProposedSize", size).detail("MaxSizeAllowed", Math.min(grant.maxSize(),
                            config.maxPutBytes()));
        }
        if (size < grant.minSize()) {
            throw new S3Error(400, "EntityTooSmall", "Your proposed upload is smaller than the minimum allowed size")
                    .detail("ProposedSize", size).detail("MinSizeAllowed", grant.minSize());
        }
        if (grant.key().getBytes(StandardCharsets.UTF_8).length > MAX_KEY_BYTES) {
            throw new S3Error(400, "KeyTooLongError", "Your key is too long");
        }
        Map<String, String> meta = S3Request.headerMap();
        r.form().forEach((k, v) -> {
            if (k.toLowerCase(Locale.ROOT).startsWith("x-amz-meta-")) meta.put(k, v);
        });
        String type = r.form().get("Content-Type");
        meta.put("Content-Type", type == null ? DEFAULT_CONTENT_TYPE : type);
        ObjectAttributes attrs = attributes(new S3Request("POST", r.rawPath(), List.of(), meta, null, null, null));
        StagedData data;
        try (InputStream in = Files.newInputStream(file.path())) {
            data = store.stage(in, config.maxPutBytes());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        StoredObject o = store.put(AWS, t.bucket(), grant.key(), data, attrs, null);
        String location = "/" + t.bucket() + "/" + SigV4Crypto.encode(grant.key(), true);
        String status = r.form().get("success_action_status");
        if ("201".equals(status)) {
            return S3Response.xml(201, new XmlWriter().open("PostResponse").leaf("Location", location)
                    .leaf("Bucket", t.bucket()).leaf("Key", grant.key()).leaf("ETag", quote(o.etag()))
                    .close("PostResponse").toString()).header("ETag", quote(o.etag())).header("Location", location);
        }
        return S3Response.empty("200".equals(status) ? 200 : 204).header("ETag", quote(o.etag()))
                .header("Location", location);
    }

    // ---- bodies

    /** A received body, decoded, with the additional checksums it carried (all verified). */
    record Received(StagedData data, Map<String, String> checksums) { }

    private Received receive(S3Request r, boolean small) {
        String sha = r.header("x-amz-content-sha256");
        String encoding = r.header("Content-Encoding");
        boolean chunked = (sha != null && sha.startsWith("STREAMING-"))
                || (encoding != null && encoding.toLowerCase(Locale.ROOT).contains("aws-chunked"));
        StagedData data;
        Map<String, String> trailers = Map.of();
        long max = small ? 64L * 1024 * 1024 : config.maxPutBytes();
        try (InputStream raw = r.body() == null ? InputStream.nullInputStream() : Files.newInputStream(r.body())) {
            if (chunked) {
                AwsChunkedInputStream in = new AwsChunkedInputStream(raw);
                data = store.stage(in, max);
                trailers = in.trailers();
            } else {
                data = store.stage(raw, max);
            }
        } catch (AwsChunkedInputStream.MalformedChunkException e) {
            throw new S3Error(400, "IncompleteBody", "The request body terminated unexpectedly");
        } catch (ObjectStoreException e) {
            throw tooLarge(max + 1);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try {
            if (chunked && r.header("x-amz-decoded-content-length") != null
                    && Long.parseLong(r.header("x-amz-decoded-content-length").trim()) != data.size()) {
                throw new S3Error(400, "IncompleteBody", "You did not provide the number of bytes specified by the "
                        + "Content-Length HTTP header");
            }
            if (sha != null && HEX_SHA256.matcher(sha).matches()) {
                String actual = hexOfBase64(compute("sha256", data));
                if (!actual.equals(sha)) {
                    throw new S3Error(400, "XAmzContentSHA256Mismatch", "The provided 'x-amz-content-sha256' "
                            + "header does not match what was computed.")
                            .detail("ClientComputedContentSHA256", sha).detail("S3ComputedContentSHA256", actual);
                }
            }
            String md5 = r.header("Content-MD5");
            if (md5 != null) {
                byte[] given;
                try {
                    given = Base64.getDecoder().decode(md5.trim());
                } catch (IllegalArgumentException e) {
                    given = new byte[0];
                }
                if (given.length != 16) {
                    throw new S3Error(400, "InvalidDigest", "The Content-MD5 you specified was invalid.")
                            .detail("Content-MD5", md5);
                }
                if (!MessageDigest.isEqual(given, data.md5())) {
                    throw new S3Error(400, "BadDigest", "The Content-MD5 you specified did not match what we "
                            + "received.").detail("ExpectedDigest", md5)
                            .detail("CalculatedDigest", Base64.getEncoder().encodeToString(data.md5()));
                }
            }
            Map<String, String> checksums = new LinkedHashMap<>();
            for (String alg : Checksums.ALGORITHMS) {
                String given = trailers.get(Checksums.header(alg));
                if (given == null) given = r.header(Checksums.header(alg));
                if (given == null) continue;
                String actual = compute(alg, data);
                if (!actual.equals(given.trim())) {
                    throw new S3Error(400, "BadDigest", "The " + alg.toUpperCase(Locale.ROOT) + " you specified "
                            + "did not match the calculated checksum.");
                }
                checksums.put(alg, actual);
            }
            return new Received(data, checksums);
        } catch (RuntimeException e) {
            data.close();
            throw e;
        }
    }

    private static String compute(String algorithm, StagedData data) {
        try (InputStream in = data.open()) {
            return Checksums.compute(algorithm, in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String hexOfBase64(String b64) {
        return HexFormat.of().formatHex(Base64.getDecoder().decode(b64));
    }

    private S3Error tooLarge(long size) {
        return new S3Error(400, "EntityTooLarge", "Your proposed upload exceeds the maximum allowed size")
                .detail("ProposedSize", size).detail("MaxSizeAllowed", config.maxPutBytes());
    }

    private static MessageDigest md5() {
        try {
            return MessageDigest.getInstance("MD5");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static String quote(String etag) {
        return "\"" + etag + "\"";
    }

    private static String unquote(String etag) {
        String e = etag.trim();
        return e.length() >= 2 && e.startsWith("\"") && e.endsWith("\"") ? e.substring(1, e.length() - 1) : e;
    }
}

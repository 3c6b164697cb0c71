package io.crossjobs.mockcloud.gcs;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

import io.crossjobs.mockcloud.objects.ObjectAttributes;
import io.crossjobs.mockcloud.objects.ObjectStore;
import io.crossjobs.mockcloud.objects.ObjectStoreException;
import io.crossjobs.mockcloud.objects.StagedData;
import io.crossjobs.mockcloud.objects.StoredObject;
import io.crossjobs.mockcloud.sim.Cloud;

/**
 * The XML API's single-request upload, {@code PUT /<bucket>/<object>}
 * (cloud.google.com/storage/docs/xml-api/put-object-upload), as a node's or job-api's plain HTTP client sends it with a V4 signed URL: everything that can be refused is
 * refused from the request line and headers ({@link #admit}), before the body is taken; the body then replaces any
 * object of that name ({@link #store}).
 */
final class GcsXmlPut {
    private final ObjectStore store;
    private final GcsAccess access;
    private final Function<String, GcsServiceAccountKey> accounts;
    private final Duration maxValidity;

    /** A PUT that may send its body: where it goes and what its headers asked for. */
    record Admitted(String bucket, String name, String contentType, String contentMd5) { }

    GcsXmlPut(ObjectStore store, GcsAccess access, Function<String, GcsServiceAccountKey> accounts,
              Duration maxValidity) {
        this.store = store;
        this.access = access;
        this.accounts = accounts;
        this.maxValidity = maxValidity;
    }

    /**
     * Checks, in GCS's order as far as it shows: a signature at all (anonymous: 403 {@code AccessDenied}), the
     * signature and its expiry ({@link GcsSignedUrl#verify}), the signer's {@code storage.objects.create} (and
     * {@code .delete} when the name exists: a replacement deletes the older version), the bucket (404
     * {@code NoSuchBucket}), the name (400 {@code InvalidArgument}), and a length (411 {@code MissingContentLength}
     * without {@code Content-Length} or chunked transfer encoding).
     *
     * @param headers the request's headers, names in lower case
     */
    Admitted admit(GcsSignedUrl.Request req, Map<String, String> params, String bucket, String name, Instant now) {
        if (!GcsSignedUrl.isSigned(params)) {
            throw new GcsXmlError(403, "AccessDenied", "Access denied.", "Anonymous caller does not have "
                    + "storage.objects.create access to the Google Cloud Storage object.");
        }
        GcsSignedUrl.verify(req, params, accounts, maxValidity, now);
        access.signed("storage.objects.create");
        if (store.bucket(Cloud.GCP, bucket).isEmpty()) {
            throw new GcsXmlError(404, "NoSuchBucket", "The specified bucket does not exist.", null);
        }
        if (store.head(Cloud.GCP, bucket, name).isPresent()) access.signed("storage.objects.delete");
        String refusal = GcsNames.objectRefusal(name);
        if (refusal != null) throw GcsXmlError.invalidArgument(refusal);
        boolean chunked = req.headers().getOrDefault("transfer-encoding", "").toLowerCase().contains("chunked");
        if (!req.headers().containsKey("content-length") && !chunked) {
            throw new GcsXmlError(411, "MissingContentLength", "You must provide the Content-Length HTTP header.",
                    null);
        }
        return new Admitted(bucket, name, req.headers().get("content-type"), req.headers().get("content-md5"));
    }

    /**
     * Stores the received {@code body} as the object: 200 with its {@code ETag} (the MD5's hex), generation and
     * hashes; a {@code Content-MD5} the body does not match is 400 {@code BadDigest} and stores nothing.
     */
    GcsAnswer store(Admitted put, Path body) {
        String crc32c = GcsFormUpload.crc32c(body);
        StoredObject stored;
        try (InputStream in = Files.newInputStream(body);
             StagedData data = store.stage(in, GcsFormUpload.MAX_OBJECT_BYTES)) {
            if (put.contentMd5() != null && !Arrays.equals(md5(put.contentMd5()), data.md5())) {
                throw new GcsXmlError(400, "BadDigest", "The Content-MD5 or x-goog-hash you specified did not "
                        + "match what we received.", null);
            }
            String type = put.contentType() == null || put.contentType().isBlank() ? "application/octet-stream"
                    : put.contentType();
            stored = store.put(Cloud.GCP, put.bucket(), put.name(), data,
                    new ObjectAttributes(type, Map.of(), null, Map.of(GcsJsonApi.CRC32C, crc32c)), null);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (ObjectStoreException e) {
            if (e.reason() == ObjectStoreException.Reason.NO_SUCH_BUCKET) {
                throw new GcsXmlError(404, "NoSuchBucket", "The specified bucket does not exist.", null);
            }
            if (e.reason() == ObjectStoreException.Reason.TOO_LARGE) {
                throw new GcsXmlError(400, "EntityTooLarge", "Your proposed upload exceeds the maximum allowed "
                        + "object size.", null);
            }
            throw e;
        }
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("ETag", "\"" + stored.etag() + "\"");
        headers.put("x-goog-generation", Long.toString(stored.generation()));
        headers.put("x-goog-metageneration", "1");
        headers.put("x-goog-hash", "crc32c=" + crc32c + ",md5=" + Base64.getEncoder().encodeToString(stored.md5()));
        headers.put("x-goog-stored-content-length", Long.toString(stored.size()));
        return new GcsAnswer(200, headers, new byte[0], null, 0, 0);
    }

    private static byte[] md5(String contentMd5) {
        try {
            return Base64.getDecoder().decode(contentMd5.trim());
        } catch (IllegalArgumentException e) {
            throw new GcsXmlError(400, "InvalidDigest", "The Content-MD5 you specified is not valid.", null);
        }
    }
}

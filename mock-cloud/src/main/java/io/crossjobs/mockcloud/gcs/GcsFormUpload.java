package io.crossjobs.mockcloud.gcs;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Base64;
import java.util.Map;
import java.util.zip.CRC32C;

import io.crossjobs.mockcloud.objects.ObjectAttributes;
import io.crossjobs.mockcloud.objects.ObjectStore;
import io.crossjobs.mockcloud.objects.ObjectStoreException;
import io.crossjobs.mockcloud.objects.StagedData;
import io.crossjobs.mockcloud.sim.Cloud;

/**
 * The XML API's {@code POST /<bucket>} with an HTML form (cloud.google.com/storage/docs/xml-api/post-object-forms):
 * the policy is verified before anything is stored; the file becomes the object named by the form's key, replacing
 * one of the same name. Answers 204 unless the form asks for 200 or 201.
 */
final class GcsFormUpload {
    /** An object is at most 5 TiB (cloud.google.com/storage/quotas). */
    static final long MAX_OBJECT_BYTES = 5L << 40;

    /** The form's file part, already written to {@code path}. */
    record FilePart(String fileName, String contentType, Path path) { }

    private final ObjectStore store;
    private final GcsAccess access;
    private final GcsPostPolicy.Settings settings;
    private final Clock clock;

    GcsFormUpload(ObjectStore store, GcsAccess access, GcsPostPolicy.Settings settings, Clock clock) {
        this.store = store;
        this.access = access;
        this.settings = settings;
        this.clock = clock;
    }

    /**
     * @param form the fields other than the file, case-insensitive names
     * @param file the file part, or null when the form had none
     */
    GcsAnswer post(String bucket, Map<String, String> form, FilePart file) {
        if (store.bucket(Cloud.GCP, bucket).isEmpty()) {
            throw new GcsXmlError(404, "NoSuchBucket", "The specified bucket does not exist.", null);
        }
        GcsPostPolicy.Grant grant = GcsPostPolicy.verify(bucket, form, file == null ? null : file.fileName(),
                settings, clock.instant());
        if (file == null) throw GcsXmlError.invalidArgument("Missing file.");
        // a signed form acts as its signer; replacing an object (a retried chunk) deletes the older version too
        access.signed("storage.objects.create");
        if (store.head(Cloud.GCP, bucket, grant.key()).isPresent()) access.signed("storage.objects.delete");
        String refusal = GcsNames.objectRefusal(grant.key());
        if (refusal != null) throw GcsXmlError.invalidArgument(refusal);
        long size = size(file.path());
        if (size > Math.min(grant.maxSize(), MAX_OBJECT_BYTES)) {
            throw new GcsXmlError(400, "EntityTooLarge", "Your proposed upload exceeds the maximum allowed object size.",
                    null);
        }
        if (size < grant.minSize()) {
            throw new GcsXmlError(400, "EntityTooSmall", "Your proposed upload is smaller than the minimum allowed "
                    + "object size.", null);
        }
        String contentType = grant.contentType() != null ? grant.contentType()
                : file.contentType() != null && !file.contentType().isEmpty() ? file.contentType()
                : "application/octet-stream";
        try (InputStream in = Files.newInputStream(file.path()); StagedData data = store.stage(in, MAX_OBJECT_BYTES)) {
            store.put(Cloud.GCP, bucket, grant.key(), data, new ObjectAttributes(contentType, grant.metadata(), null,
                    Map.of(GcsJsonApi.CRC32C, crc32c(file.path()))), null);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (ObjectStoreException e) {
            if (e.reason() == ObjectStoreException.Reason.NO_SUCH_BUCKET) {
                throw new GcsXmlError(404, "NoSuchBucket", "The specified bucket does not exist.", null);
            }
            throw e;
        }
        return GcsAnswer.empty(grant.successStatus());
    }

    private static long size(Path p) {
        try {
            return Files.size(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Base64 of the big-endian CRC32C, as GCS shows it in {@code crc32c} and {@code x-goog-hash}. */
    static String crc32c(Path p) {
        CRC32C crc = new CRC32C();
        try (InputStream in = Files.newInputStream(p)) {
            byte[] buf = new byte[64 * 1024];
            int n;
            while ((n = in.read(buf)) > 0) crc.update(buf, 0, n);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Base64.getEncoder().encodeToString(ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
    }
}

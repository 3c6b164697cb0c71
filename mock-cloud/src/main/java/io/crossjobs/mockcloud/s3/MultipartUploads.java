package io.crossjobs.mockcloud.s3;

import java.security.SecureRandom;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.NavigableMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;

import io.crossjobs.mockcloud.objects.ObjectAttributes;
import io.crossjobs.mockcloud.objects.StagedData;

/** S3's unfinished multipart uploads and their staged parts, until completed or aborted. */
final class MultipartUploads {
    private static final SecureRandom RANDOM = new SecureRandom();

    record Part(int number, StagedData data, String etag, Map<String, String> checksums) { }

    /** @param checksumAlgorithm x-amz-checksum-algorithm of CreateMultipartUpload, lower case, or null */
    record Upload(String id, String bucket, String key, ObjectAttributes attributes, String checksumAlgorithm,
                  Instant initiated, NavigableMap<Integer, Part> parts) { }

    private final Map<String, Upload> uploads = new ConcurrentHashMap<>();

    Upload create(String bucket, String key, ObjectAttributes attributes, String checksumAlgorithm, Instant now) {
        byte[] id = new byte[48];
        RANDOM.nextBytes(id);
        Upload u = new Upload(Base64.getUrlEncoder().withoutPadding().encodeToString(id), bucket, key, attributes,
                checksumAlgorithm, now, new ConcurrentSkipListMap<>());
        uploads.put(u.id(), u);
        return u;
    }

    /** The upload of that id for that bucket and key, or null (S3: NoSuchUpload). */
    Upload get(String id, String bucket, String key) {
        Upload u = id == null ? null : uploads.get(id);
        return u != null && u.bucket().equals(bucket) && u.key().equals(key) ? u : null;
    }

    /** Adds or replaces a part (uploading a part number again replaces it, as in S3). */
    void put(Upload u, Part part) {
        Part old = u.parts().put(part.number(), part);
        if (old != null) old.data().close();
    }

    /** Forgets the upload and deletes its parts' files. */
    void remove(Upload u) {
        if (uploads.remove(u.id()) != null) u.parts().values().forEach(p -> p.data().close());
    }

    void clear() {
        uploads.values().forEach(this::remove);
    }
}

package io.crossjobs.mockcloud.objects;

import java.time.Instant;
import java.util.Map;

/**
 * One version of an object as the store holds it. Immutable: a write makes a new record with a higher
 * {@code generation}; readers holding an older record keep reading its bytes (see {@link ObjectStore#open}).
 *
 * @param md5        MD5 of the whole content, or null when the content was built by appends (Azure append blobs
 *                   have no whole-blob MD5)
 * @param etag       the ETag the front end shows, chosen by the writer (S3's multipart ETag is not an MD5)
 * @param generation increases on every write of this key in the bucket, across deletes (like GCS generations)
 * @param properties front-end specific attributes kept with the object (an S3 checksum, an Azure blob type)
 */
public record StoredObject(String bucket, String key, long size, String contentType, Map<String, String> userMetadata,
                           byte[] md5, String etag, long generation, Instant created, Instant updated,
                           Map<String, String> properties) {
    public StoredObject {
        userMetadata = Map.copyOf(userMetadata);
        properties = Map.copyOf(properties);
    }
}

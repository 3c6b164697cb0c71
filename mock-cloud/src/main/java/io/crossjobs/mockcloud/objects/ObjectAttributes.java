package io.crossjobs.mockcloud.objects;

import java.util.Map;

/**
 * What a writer sets besides the bytes.
 *
 * @param etag       the ETag to show; null: the hex MD5 of the content
 * @param properties front-end specific attributes (see {@link StoredObject#properties()})
 */
public record ObjectAttributes(String contentType, Map<String, String> userMetadata, String etag,
                               Map<String, String> properties) {
    public ObjectAttributes {
        userMetadata = userMetadata == null ? Map.of() : Map.copyOf(userMetadata);
        properties = properties == null ? Map.of() : Map.copyOf(properties);
    }

    public static ObjectAttributes of(String contentType, Map<String, String> userMetadata) {
        return new ObjectAttributes(contentType, userMetadata, null, Map.of());
    }
}

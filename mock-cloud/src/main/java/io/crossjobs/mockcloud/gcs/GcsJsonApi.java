package io.crossjobs.mockcloud.gcs;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.crossjobs.mockcloud.objects.Bucket;
import io.crossjobs.mockcloud.objects.ListPage;
import io.crossjobs.mockcloud.objects.ListQuery;
import io.crossjobs.mockcloud.objects.ObjectReader;
import io.crossjobs.mockcloud.objects.ObjectStore;
import io.crossjobs.mockcloud.objects.ObjectStoreException;
import io.crossjobs.mockcloud.objects.StoredObject;
import io.crossjobs.mockcloud.objects.Utf8Order;
import io.crossjobs.mockcloud.sim.Cloud;

/**
 * The Cloud Storage JSON API v1 subset the google-cloud-storage Java client uses to keep crossjobs' output
 * (cloud.google.com/storage/docs/json_api/v1): buckets.insert/get/delete, objects.list (prefix, delimiter,
 * startOffset, endOffset, pageToken, maxResults), objects.get (metadata, or the media with a Range) and
 * objects.delete, over the object store's {@code gcp} namespace. Requests are not authenticated (the client talks
 * to the mock without credentials); the form POST's signatures are verified ({@link GcsPostPolicy}).
 */
final class GcsJsonApi {
    /** objects.list returns at most 1,000 items a page (cloud.google.com/storage/docs/json_api/v1/objects/list). */
    static final int MAX_LIST_RESULTS = 1000;
    static final String CRC32C = "gcs.crc32c";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern RANGE = Pattern.compile("bytes=(\\d*)-(\\d*)");
    private static final Cloud GCP = Cloud.GCP;

    private final ObjectStore store;
    private final Clock clock;
    /** What buckets.insert was given besides name and location (lifecycle, iamConfiguration, ...), echoed by get. */
    private final Map<String, ObjectNode> bucketSettings = new ConcurrentHashMap<>();

    GcsJsonApi(ObjectStore store, Clock clock) {
        this.store = store;
        this.clock = clock;
        store.onReset(bucketSettings::clear);
    }

    // ---------------------------------------------------------------- buckets

    /** buckets.insert: {@code project} is required; a name taken is 409 conflict, as for a bucket one owns. */
    GcsAnswer insertBucket(String project, JsonNode body, String host) {
        if (project == null || project.isEmpty()) {
            throw new GcsJsonError(400, "required", "Required parameter: project");
        }
        String name = body == null ? null : body.path("name").asText(null);
        String refusal = GcsNames.bucketRefusal(name);
        if (refusal != null) throw GcsJsonError.invalid(refusal);
        String location = body.path("location").asText("US").toUpperCase(Locale.ROOT);
        try {
            store.createBucket(GCP, name, location);
        } catch (ObjectStoreException e) {
            if (e.reason() != ObjectStoreException.Reason.BUCKET_EXISTS) throw e;
            throw new GcsJsonError(409, "conflict", "You already own this bucket. Please select another name.");
        }
        ObjectNode settings = body.deepCopy();
        settings.remove(List.of("name", "location", "kind", "id", "selfLink", "timeCreated", "updated"));
        settings.put("projectNumber", projectNumber(project));
        bucketSettings.put(name, settings);
        return GcsAnswer.json(200, bucketResource(bucket(name), host).toString());
    }

    GcsAnswer getBucket(String name, String host) {
        return GcsAnswer.json(200, bucketResource(bucket(name), host).toString());
    }

    /** buckets.delete: only an empty bucket (409 conflict otherwise). */
    GcsAnswer deleteBucket(String name) {
        bucket(name);
        try {
            store.deleteBucket(GCP, name);
        } catch (ObjectStoreException e) {
            if (e.reason() != ObjectStoreException.Reason.BUCKET_NOT_EMPTY) throw e;
            throw new GcsJsonError(409, "conflict", "The bucket you tried to delete is not empty.");
        }
        bucketSettings.remove(name);
        return GcsAnswer.empty(204);
    }

    // ---------------------------------------------------------------- objects

    /**
     * objects.list, in UTF-8 order. {@code startOffset} is inclusive and {@code endOffset} exclusive; the page token
     * is the last name of the page before, opaque to clients.
     */
    GcsAnswer list(String bucket, Map<String, String> params, String host) {
        bucket(bucket);
        int max = MAX_LIST_RESULTS;
        if (params.get("maxResults") != null) {
            try {
                max = Math.min(Math.max(Integer.parseInt(params.get("maxResults")), 1), MAX_LIST_RESULTS);
            } catch (NumberFormatException e) {
                throw GcsJsonError.invalid("Invalid value for maxResults: " + params.get("maxResults"));
            }
        }
        String prefix = params.getOrDefault("prefix", "");
        String delimiter = params.get("delimiter");
        String startOffset = params.get("startOffset");
        String endOffset = params.get("endOffset");
        String startAfter = null;
        List<StoredObject> items = new ArrayList<>();
        if (params.get("pageToken") != null) {
            startAfter = pageToken(params.get("pageToken"));
        } else if (startOffset != null && !startOffset.isEmpty()) {
            // inclusive: the object named startOffset itself, then what follows it
            store.head(GCP, bucket, startOffset).filter(o -> o.key().startsWith(prefix)).ifPresent(items::add);
            startAfter = startOffset;
        }
        ListPage page = store.list(GCP, bucket, new ListQuery(prefix, delimiter, startAfter, max - items.size()));
        items.addAll(page.objects());
        List<String> prefixes = new ArrayList<>(page.commonPrefixes());
        boolean cut = false;
        if (endOffset != null && !endOffset.isEmpty()) {
            int before = items.size() + prefixes.size();
            items.removeIf(o -> Utf8Order.compare(o.key(), endOffset) >= 0);
            prefixes.removeIf(p -> Utf8Order.compare(p, endOffset) >= 0);
            cut = items.size() + prefixes.size() < before;
        }
        ObjectNode out = JSON.createObjectNode().put("kind", "storage#objects");
        if (!prefixes.isEmpty()) prefixes.forEach(out.withArray("prefixes")::add);
        if (!items.isEmpty()) items.forEach(o -> out.withArray("items").add(objectResource(o, host)));
        if (page.truncated() && !cut) {
            out.put("nextPageToken", Base64.getUrlEncoder().withoutPadding()
                    .encodeToString(page.resumeAfter().getBytes(StandardCharsets.UTF_8)));
        }
        return GcsAnswer.json(200, out.toString());
    }

    /**
     * objects.insert through the upload endpoint ({@code POST /upload/storage/v1/b/{b}/o}): {@code uploadType=media}
     * (the name in {@code name}, the body the bytes) or {@code uploadType=multipart} (a {@code multipart/related}
     * body: the object's JSON resource, then its bytes), what the Java client sends for small objects
     * (cloud.google.com/storage/docs/uploading-objects, .../json_api/v1/objects/insert). Returns the new object's
     * resource. Resumable uploads are not served.
     */
    GcsAnswer insertObject(String bucket, Map<String, String> params, String contentType, byte[] body, String host) {
        bucket(bucket);
        String uploadType = params.getOrDefault("uploadType", "");
        String name = params.get("name");
        String type = contentType;
        Map<String, String> metadata = Map.of();
        byte[] media = body;
        if (uploadType.equals("multipart")) {
            GcsMultipart.Related parts = GcsMultipart.related(contentType, body);
            JsonNode resource;
            try {
                resource = JSON.readTree(parts.metadata());
            } catch (java.io.IOException e) {
                throw new GcsJsonError(400, "parseError", "Parse Error");
            }
            name = resource.path("name").asText(name);
            type = resource.path("contentType").asText(parts.mediaType());
            if (resource.path("metadata").isObject()) {
                Map<String, String> m = new LinkedHashMap<>();
                resource.path("metadata").fields().forEachRemaining(e -> m.put(e.getKey(), e.getValue().asText()));
                metadata = m;
            }
            media = parts.media();
        } else if (!uploadType.equals("media")) {
            throw GcsJsonError.invalid("Upload type " + uploadType + " is not served here (media, multipart).");
        }
        if (name == null || name.isEmpty()) throw new GcsJsonError(400, "required", "Required");
        String refusal = GcsNames.objectRefusal(name);
        if (refusal != null) throw GcsJsonError.invalid(refusal);
        java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
        crc.update(media);
        String crc32c = Base64.getEncoder().encodeToString(ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
        StoredObject stored;
        try (var data = store.stage(new java.io.ByteArrayInputStream(media), GcsFormUpload.MAX_OBJECT_BYTES)) {
            stored = store.put(GCP, bucket, name, data, new io.crossjobs.mockcloud.objects.ObjectAttributes(
                    type == null || type.isEmpty() ? "application/octet-stream" : type, metadata, null,
                    Map.of(CRC32C, crc32c)), null);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return GcsAnswer.json(200, objectResource(stored, host).toString());
    }

    /** Whether {@code name} exists in {@code bucket} (a missing bucket: false). */
    boolean exists(String bucket, String name) {
        return store.bucket(GCP, bucket).isPresent() && store.head(GCP, bucket, name).isPresent();
    }

    /**
     * An object through the XML API ({@code GET|DELETE /<bucket>/<object>}), for a request whose signature was
     * verified: the bytes (a {@code Range} honoured as by objects.get) or 204; errors in the XML API's form, 404
     * {@code NoSuchBucket} / {@code NoSuchKey} (cloud.google.com/storage/docs/xml-api/reference-status).
     */
    GcsAnswer xmlObject(boolean delete, String bucket, String name, String rangeHeader) {
        if (store.bucket(GCP, bucket).isEmpty()) {
            throw new GcsXmlError(404, "NoSuchBucket", "The specified bucket does not exist.", null);
        }
        if (store.head(GCP, bucket, name).isEmpty()) {
            throw new GcsXmlError(404, "NoSuchKey", "The specified key does not exist.", null);
        }
        try {
            return delete ? deleteObject(bucket, name, null) : media(bucket, name, null, rangeHeader);
        } catch (GcsJsonError e) {
            if (e.status() != 404) throw e;
            throw new GcsXmlError(404, "NoSuchKey", "The specified key does not exist.", null);
        }
    }

    /** objects.get without {@code alt=media}: the object's resource. */
    GcsAnswer getObject(String bucket, String name, Long generation, String host) {
        return GcsAnswer.json(200, objectResource(object(bucket, name, generation), host).toString());
    }

    /**
     * objects.get with {@code alt=media}: the bytes, all (200) or one {@code Range} (206, Content-Range); a range
     * starting at or past the end is 416. A malformed or multi-range header is ignored (RFC 9110).
     */
    GcsAnswer media(String bucket, String name, Long generation, String rangeHeader) {
        StoredObject o = object(bucket, name, generation);
        long size = o.size();
        long from = 0;
        long to = size - 1;
        boolean partial = false;
        Matcher m = rangeHeader == null ? null : RANGE.matcher(rangeHeader.trim());
        if (m != null && m.matches() && !(m.group(1).isEmpty() && m.group(2).isEmpty())) {
            partial = true;
            if (m.group(1).isEmpty()) {
                from = Math.max(size - Long.parseLong(m.group(2)), 0);
            } else {
                from = Long.parseLong(m.group(1));
                if (!m.group(2).isEmpty()) to = Math.min(Long.parseLong(m.group(2)), size - 1);
            }
            if (from >= size || from > to) {
                throw new GcsJsonError(416, "requestedRangeNotSatisfiable", "Request range not satisfiable");
            }
        }
        ObjectReader reader = store.open(GCP, bucket, name);
        if (reader.object().generation() != o.generation()) {
            reader.close();
            throw notFoundObject(bucket, name);
        }
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Type", o.contentType());
        headers.put("ETag", "\"" + o.etag() + "\"");
        headers.put("x-goog-generation", Long.toString(o.generation()));
        headers.put("x-goog-metageneration", "1");
        headers.put("x-goog-stored-content-length", Long.toString(size));
        headers.put("x-goog-stored-content-encoding", "identity");
        headers.put("x-goog-storage-class", "STANDARD");
        headers.put("x-goog-hash", "crc32c=" + o.properties().getOrDefault(CRC32C, "") + ",md5="
                + Base64.getEncoder().encodeToString(o.md5()));
        headers.put("Accept-Ranges", "bytes");
        if (partial) headers.put("Content-Range", "bytes " + from + "-" + to + "/" + size);
        return GcsAnswer.bytes(partial ? 206 : 200, headers, reader, from, to - from + 1);
    }

    /** objects.delete: 204; an unknown object (or another generation than {@code generation}) is 404. */
    GcsAnswer deleteObject(String bucket, String name, Long generation) {
        object(bucket, name, generation);
        try {
            if (!store.delete(GCP, bucket, name, generation)) throw notFoundObject(bucket, name);
        } catch (ObjectStoreException e) {
            if (e.reason() != ObjectStoreException.Reason.PRECONDITION_FAILED) throw e;
            throw notFoundObject(bucket, name);
        }
        return GcsAnswer.empty(204);
    }

    // ---------------------------------------------------------------- resources

    private ObjectNode bucketResource(Bucket b, String host) {
        ObjectNode r = JSON.createObjectNode().put("kind", "storage#bucket")
                .put("selfLink", "http://" + host + "/storage/v1/b/" + b.name()).put("id", b.name())
                .put("name", b.name()).put("metageneration", "1").put("location", b.location())
                .put("locationType", b.location().contains("-") ? "region" : "multi-region")
                .put("storageClass", "STANDARD").put("etag", "CAE=")
                .put("timeCreated", time(b.created())).put("updated", time(b.created()));
        ObjectNode settings = bucketSettings.get(b.name());
        if (settings != null) settings.fields().forEachRemaining(e -> r.set(e.getKey(), e.getValue()));
        return r;
    }

    ObjectNode objectResource(StoredObject o, String host) {
        String encoded = urlEncode(o.key());
        ObjectNode r = JSON.createObjectNode().put("kind", "storage#object")
                .put("id", o.bucket() + "/" + o.key() + "/" + o.generation())
                .put("selfLink", "http://" + host + "/storage/v1/b/" + o.bucket() + "/o/" + encoded)
                .put("mediaLink", "http://" + host + "/download/storage/v1/b/" + o.bucket() + "/o/" + encoded
                        + "?generation=" + o.generation() + "&alt=media")
                .put("name", o.key()).put("bucket", o.bucket()).put("generation", Long.toString(o.generation()))
                .put("metageneration", "1").put("contentType", o.contentType()).put("storageClass", "STANDARD")
                .put("size", Long.toString(o.size()))
                .put("md5Hash", o.md5() == null ? null : Base64.getEncoder().encodeToString(o.md5()))
                .put("crc32c", o.properties().get(CRC32C))
                .put("etag", Base64.getEncoder().encodeToString(ByteBuffer.allocate(8).putLong(o.generation()).array()))
                .put("timeCreated", time(o.created())).put("updated", time(o.updated()))
                .put("timeStorageClassUpdated", time(o.created()));
        if (!o.userMetadata().isEmpty()) {
            ObjectNode meta = r.putObject("metadata");
            o.userMetadata().forEach(meta::put);
        }
        return r;
    }

    // ---------------------------------------------------------------- helpers

    private Bucket bucket(String name) {
        return store.bucket(GCP, name).orElseThrow(() -> GcsJsonError.notFound("The specified bucket does not exist."));
    }

    private StoredObject object(String bucket, String name, Long generation) {
        bucket(bucket);
        Optional<StoredObject> o = store.head(GCP, bucket, name);
        if (o.isEmpty() || (generation != null && o.get().generation() != generation)) {
            throw notFoundObject(bucket, name);
        }
        return o.get();
    }

    static GcsJsonError notFoundObject(String bucket, String name) {
        return GcsJsonError.notFound("No such object: " + bucket + "/" + name);
    }

    private static String pageToken(String token) {
        try {
            return new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw GcsJsonError.invalid("Invalid page token.");
        }
    }

    /** A stable made-up project number for a project id (GCS shows numbers, not ids). */
    private static String projectNumber(String project) {
        return Long.toString(Math.abs((long) project.hashCode()) + 100_000_000_000L);
    }

    private String time(Instant t) {
        return DateTimeFormatter.ISO_INSTANT.format(t == null ? clock.instant() : t);
    }

    static String urlEncode(String s) {
        return java.net.URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }
}

package io.crossjobs.mockcloud.blob;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.crossjobs.mockcloud.blob.BlobAccess.Admitted;
import io.crossjobs.mockcloud.blob.BlobAccess.Operation;
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
 * The Blob Storage REST subset crossjobs' Azure adapter and its nodes use, path-style, over the shared object
 * store's {@code azure} namespace: Create Container, Delete Container, Get Container Properties, List Blobs, Put Blob (append blobs
 * created empty, block blobs written whole), Append Block, Get Blob, Get Blob Properties, Delete Blob. The operations' pages are under
 * learn.microsoft.com/rest/api/storageservices/; each refusal and its source is in the README's table.
 */
final class BlobApi {
    /** A blob name is 1 to 1,024 characters (learn.microsoft.com/rest/api/storageservices/naming-and-referencing-containers--blobs--and-metadata). */
    static final int MAX_BLOB_NAME_CHARS = 1024;
    /** Container names: 3-63 of a-z, 0-9 and single hyphens, starting and ending with a letter or digit (same page). */
    private static final Pattern CONTAINER_NAME = Pattern.compile("[a-z0-9](?:[a-z0-9]|-(?=[a-z0-9])){2,62}");
    private static final Pattern RANGE = Pattern.compile("bytes=(\\d+)-(\\d*)");
    static final String APPEND_BLOB = "AppendBlob";
    static final String BLOCK_BLOB = "BlockBlob";
    /** Put Blob's largest block blob: 5,000 MiB from version 2019-12-12, 256 MiB from 2016-05-31, 64 MiB before (put-blob page). */
    private static final long MAX_PUT_BLOCK_BLOB = 5000L << 20;
    private static final long MAX_PUT_BLOCK_BLOB_BEFORE_20191212 = 256L << 20;
    private static final long MAX_PUT_BLOCK_BLOB_BEFORE_20160531 = 64L << 20;
    static final String BLOB_TYPE = "blobType";
    static final String COMMITTED_BLOCKS = "committedBlocks";
    private static final DateTimeFormatter HTTP_DATE = io.crossjobs.mockcloud.objects.HttpDates.FORMAT;
    private static final Cloud AZURE = Cloud.AZURE;

    private final ObjectStore store;
    private final BlobConfig config;
    private final BlobAccess access;
    private final BlobListing listing;
    private final ContainerDeletions deletions;
    private final Clock clock;
    private final Object[] appendLocks = new Object[64];

    BlobApi(ObjectStore store, BlobConfig config, Clock clock) {
        this(store, config, clock, () -> false);
    }

    /** @param keyRevoked whether the account key has been regenerated (the mock account's revoked credentials) */
    BlobApi(ObjectStore store, BlobConfig config, Clock clock, java.util.function.BooleanSupplier keyRevoked) {
        this.store = store;
        this.config = config;
        this.access = new BlobAccess(config, clock, keyRevoked);
        this.listing = new BlobListing(store, config);
        this.clock = clock;
        this.deletions = new ContainerDeletions(java.time.Duration.ofSeconds(config.containerDeletionSeconds()));
        store.onReset(deletions::clear);
        for (int i = 0; i < appendLocks.length; i++) appendLocks[i] = new Object();
        // Put Blob and Append Block check their own (version-dependent) sizes, and the blob count limit caps an
        // append blob; the core is only asked not to get in their way
        store.limits(AZURE, new ObjectLimits(4 * MAX_BLOB_NAME_CHARS,
                Math.max(MAX_PUT_BLOCK_BLOB, config.maxAppendBlockBytes()),
                config.maxBlocksPerAppendBlob() * config.maxAppendBlockBytes()));
    }

    /**
     * The checks made before a body is read, as Blob Storage answers them without taking the upload: address,
     * version, authentication, the SAS's permission, and the declared length of an append.
     */
    Admitted admit(BlobRequest r) {
        Admitted a = access.admit(r);
        if (deletions.underway(a.target().container(), clock.instant())) {
            if (a.operation() == Operation.CREATE_CONTAINER) {
                throw new BlobError(409, "ContainerBeingDeleted", "The specified container is being deleted.");
            }
            throw BlobError.containerNotFound();
        }
        if (a.operation() == Operation.APPEND_BLOCK) {
            long length = contentLength(r);
            long max = maxAppendBlockBytes(a.version());
            if (length > max) {
                throw new BlobError(413, "RequestBodyTooLarge", "The request body is too large and exceeds the "
                        + "maximum permissible limit.").detail("MaxLimit", max);
            }
        }
        if (a.operation() == Operation.PUT_BLOB) {
            String length = r.header("Content-Length");
            if (BLOCK_BLOB.equals(r.header("x-ms-blob-type"))) {
                long max = maxPutBlockBlobBytes(a.version());
                if (contentLength(r) > max) {
                    throw new BlobError(413, "RequestBodyTooLarge", "The request body is too large and exceeds the "
                            + "maximum permissible limit.").detail("MaxLimit", max);
                }
            } else if (length != null && !length.trim().equals("0")) {
                // an append blob is created empty; its content comes by Append Block (Put Blob)
                throw BlobError.invalidHeader("Content-Length", length);
            }
        }
        return a;
    }

    BlobResponse handle(BlobRequest r) {
        Admitted a = admit(r);
        String container = a.target().container();
        String blob = a.target().blob();
        BlobResponse response = switch (a.operation()) {
            case CREATE_CONTAINER -> createContainer(container);
            case DELETE_CONTAINER -> deleteContainer(container);
            case CONTAINER_PROPERTIES -> containerProperties(container);
            case LIST_BLOBS -> listing.list(r, container);
            case PUT_BLOB -> putBlob(r, a, container, blob);
            case APPEND_BLOCK -> appendBlock(r, container, blob);
            case GET_BLOB -> getBlob(r, container, blob);
            case BLOB_PROPERTIES -> blobProperties(container, blob);
            case DELETE_BLOB -> deleteBlob(r, container, blob);
        };
        return response.header("x-ms-version", a.version());
    }

    static long maxPutBlockBlobBytes(String version) {
        if (version == null || BlobVersions.atLeast(version, "2019-12-12")) return MAX_PUT_BLOCK_BLOB;
        return BlobVersions.atLeast(version, "2016-05-31") ? MAX_PUT_BLOCK_BLOB_BEFORE_20191212
                : MAX_PUT_BLOCK_BLOB_BEFORE_20160531;
    }

    long maxAppendBlockBytes(String version) {
        return version != null && BlobVersions.atLeast(version, BlobVersions.LARGE_APPEND_BLOCKS)
                ? config.maxAppendBlockBytes() : config.maxAppendBlockBytesBefore20221102();
    }

    // ---- containers

    private BlobResponse createContainer(String name) {
        if (!CONTAINER_NAME.matcher(name).matches()) {
            throw new BlobError(400, "InvalidResourceName", "The specified resource name contains invalid characters.");
        }
        Bucket b;
        try {
            b = store.createBucket(AZURE, name, config.accountName());
        } catch (ObjectStoreException e) {
            throw new BlobError(409, "ContainerAlreadyExists", "The specified container already exists.");
        }
        return BlobResponse.empty(201).header("ETag", etag(b.created().toEpochMilli()))
                .header("Last-Modified", HTTP_DATE.format(b.created()));
    }

    /**
     * Marks the container deleted, then removes its blobs and itself (Azure does so in garbage collection, and takes a
     * container that holds blobs). A blob written in between is removed on the next round.
     */
    private BlobResponse deleteContainer(String name) {
        if (store.bucket(AZURE, name).isEmpty()) throw BlobError.containerNotFound();
        deletions.begin(name, clock.instant());
        while (true) {
            try {
                ListPage page;
                do {
                    page = store.list(AZURE, name, new ListQuery(null, null, null, 1000));
                    for (StoredObject o : page.objects()) store.delete(AZURE, name, o.key(), null);
                } while (page.truncated());
                store.deleteBucket(AZURE, name);
                return BlobResponse.empty(202);
            } catch (ObjectStoreException e) {
                if (e.reason() == ObjectStoreException.Reason.NO_SUCH_BUCKET) return BlobResponse.empty(202);
                if (e.reason() != ObjectStoreException.Reason.BUCKET_NOT_EMPTY) throw e;
            }
        }
    }

    private BlobResponse containerProperties(String name) {
        Bucket b = store.bucket(AZURE, name).orElseThrow(BlobError::containerNotFound);
        return BlobResponse.head(0).header("ETag", etag(b.created().toEpochMilli()))
                .header("Last-Modified", HTTP_DATE.format(b.created())).header("x-ms-lease-state", "available")
                .header("x-ms-lease-status", "unlocked");
    }

    // ---- blobs

    private BlobResponse putBlob(BlobRequest r, Admitted a, String container, String blob) {
        checkBlobName(blob);
        String type = r.header("x-ms-blob-type");
        if (type == null) throw BlobError.missingHeader("x-ms-blob-type");
        if (type.equals("PageBlob")) throw BlobError.notServed("Put Blob of a " + type);
        if (!type.equals(APPEND_BLOB) && !type.equals(BLOCK_BLOB)) throw BlobError.invalidHeader("x-ms-blob-type", type);
        boolean block = type.equals(BLOCK_BLOB);
        Optional<StoredObject> existing = head(container, blob);
        boolean onlyIfAbsent = "*".equals(trimmed(r.header("If-None-Match")));
        if (onlyIfAbsent && existing.isPresent()) {
            throw new BlobError(409, "BlobAlreadyExists", "The specified blob already exists.");
        }
        checkConditions(r, existing);
        // Create (c) writes a new blob only; replacing one takes Write (w)
        if (a.sas() != null && existing.isPresent() && !a.sas().allows('w')) throw BlobError.permissionMismatch();
        Map<String, String> metadata = new HashMap<>();
        r.headers().forEach((name, value) -> {
            if (name.toLowerCase(Locale.ROOT).startsWith("x-ms-meta-")) metadata.put(name.substring(10), value);
        });
        String contentType = Optional.ofNullable(r.header("x-ms-blob-content-type")).orElse("application/octet-stream");
        StoredObject stored;
        // a block blob is written whole with its body; an append blob is created empty
        Map<String, String> properties = block ? Map.of(BLOB_TYPE, BLOCK_BLOB)
                : Map.of(BLOB_TYPE, APPEND_BLOB, COMMITTED_BLOCKS, "0");
        try (StagedData data = block ? stageBody(r, maxPutBlockBlobBytes(a.version()))
                : store.stage(InputStream.nullInputStream(), 0)) {
            if (block) checkMd5(r, data);
            stored = store.put(AZURE, container, blob, data, new ObjectAttributes(contentType, metadata, null,
                    properties), onlyIfAbsent ? 0L : null);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (ObjectStoreException e) {
            if (e.reason() == ObjectStoreException.Reason.PRECONDITION_FAILED) {
                throw new BlobError(409, "BlobAlreadyExists", "The specified blob already exists.");
            }
            throw e;
        }
        return BlobResponse.empty(201).header("ETag", etag(stored)).header("Last-Modified", lastModified(stored))
                .header("x-ms-request-server-encrypted", "true");
    }

    /**
     * Appends under a lock per blob, so that the position and size conditions are checked against the length the
     * block is appended at.
     */
    private BlobResponse appendBlock(BlobRequest r, String container, String blob) {
        Long appendPosition = longHeader(r, "x-ms-blob-condition-appendpos");
        Long maxSize = longHeader(r, "x-ms-blob-condition-maxsize");
        StagedData data = stageBody(r);
        try {
            synchronized (appendLocks[Math.floorMod((container + "/" + blob).hashCode(), appendLocks.length)]) {
                StoredObject current = head(container, blob).orElseThrow(BlobError::blobNotFound);
                if (!APPEND_BLOB.equals(current.properties().get(BLOB_TYPE))) {
                    throw new BlobError(409, "InvalidBlobType", "The blob type is invalid for this operation.");
                }
                checkConditions(r, Optional.of(current));
                if (maxSize != null && current.size() + data.size() > maxSize) {
                    throw new BlobError(412, "MaxBlobSizeConditionNotMet", "The max blob size condition specified "
                            + "was not met.");
                }
                if (appendPosition != null && appendPosition != current.size()) {
                    throw new BlobError(412, "AppendPositionConditionNotMet", "The append position condition "
                            + "specified was not met.");
                }
                int blocks = Integer.parseInt(current.properties().getOrDefault(COMMITTED_BLOCKS, "0"));
                if (blocks >= config.maxBlocksPerAppendBlob()) {
                    throw new BlobError(409, "BlockCountExceedsLimit", "The committed block count cannot exceed the "
                            + "maximum limit of " + String.format(Locale.ROOT, "%,d", config.maxBlocksPerAppendBlob())
                            + " blocks.");
                }
                checkMd5(r, data);
                Map<String, String> properties = new HashMap<>(current.properties());
                properties.put(COMMITTED_BLOCKS, Integer.toString(blocks + 1));
                StoredObject stored = store.append(AZURE, container, blob, data, null, current.generation(),
                        properties);
                return BlobResponse.empty(201).header("ETag", etag(stored)).header("Last-Modified", lastModified(stored))
                        .header("x-ms-blob-append-offset", current.size())
                        .header("x-ms-blob-committed-block-count", blocks + 1)
                        .header("x-ms-request-server-encrypted", "true")
                        .header("Content-MD5", r.header("Content-MD5"));
            }
        } finally {
            data.close();
        }
    }

    private BlobResponse getBlob(BlobRequest r, String container, String blob) {
        ObjectReader reader = open(container, blob);
        try {
            StoredObject o = reader.object();
            String range = r.header("x-ms-range") != null ? r.header("x-ms-range") : r.header("Range");
            Matcher m = range == null ? null : RANGE.matcher(range.trim());
            if (m == null || !m.matches()) {
                // no range, or one not of the form bytes=N-[M]: the whole blob
                return properties(BlobResponse.stream(200, reader, 0, o.size()), o);
            }
            long start = Long.parseLong(m.group(1));
            long end = m.group(2).isEmpty() ? o.size() - 1 : Math.min(Long.parseLong(m.group(2)), o.size() - 1);
            if (start >= o.size() || end < start) {
                reader.close();
                throw new BlobError(416, "InvalidRange", "The range specified is invalid for the current size of the "
                        + "resource.").header("Content-Range", "bytes */" + o.size());
            }
            return properties(BlobResponse.stream(206, reader, start, end - start + 1), o)
                    .header("Content-Range", "bytes " + start + "-" + end + "/" + o.size());
        } catch (RuntimeException e) {
            reader.close();
            throw e;
        }
    }

    private BlobResponse blobProperties(String container, String blob) {
        StoredObject o = head(container, blob).orElseThrow(BlobError::blobNotFound);
        return properties(BlobResponse.head(o.size()), o);
    }

    private BlobResponse deleteBlob(BlobRequest r, String container, String blob) {
        StoredObject current = head(container, blob).orElseThrow(BlobError::blobNotFound);
        checkConditions(r, Optional.of(current));
        try {
            if (!store.delete(AZURE, container, blob, current.generation())) throw BlobError.blobNotFound();
        } catch (ObjectStoreException e) {
            if (e.reason() == ObjectStoreException.Reason.PRECONDITION_FAILED) throw conditionNotMet();
            throw e;
        }
        return BlobResponse.empty(202).header("x-ms-delete-type-permanent", "false");
    }

    // ---- helpers

    private BlobResponse properties(BlobResponse response, StoredObject o) {
        return response.header("Content-Type", o.contentType()).header("ETag", etag(o))
                .header("Last-Modified", lastModified(o)).header("Accept-Ranges", "bytes")
                .header("x-ms-creation-time", HTTP_DATE.format(o.created()))
                .header("x-ms-blob-type", o.properties().getOrDefault(BLOB_TYPE, APPEND_BLOB))
                .header("x-ms-blob-committed-block-count", o.properties().get(COMMITTED_BLOCKS))
                .header("x-ms-lease-state", "available").header("x-ms-lease-status", "unlocked")
                .header("x-ms-server-encrypted", "true");
    }

    private Optional<StoredObject> head(String container, String blob) {
        try {
            return store.head(AZURE, container, blob);
        } catch (ObjectStoreException e) {
            throw BlobError.containerNotFound();
        }
    }

    private ObjectReader open(String container, String blob) {
        try {
            return store.open(AZURE, container, blob);
        } catch (ObjectStoreException e) {
            throw e.reason() == ObjectStoreException.Reason.NO_SUCH_BUCKET ? BlobError.containerNotFound()
                    : BlobError.blobNotFound();
        }
    }

    /** If-Match / If-None-Match with ETags (or {@code *}) against the current blob, as writes take them. */
    private static void checkConditions(BlobRequest r, Optional<StoredObject> current) {
        String ifMatch = trimmed(r.header("If-Match"));
        String ifNoneMatch = trimmed(r.header("If-None-Match"));
        String etag = current.map(BlobApi::etag).orElse(null);
        if (ifMatch != null && (etag == null || !(ifMatch.equals("*") || ifMatch.equals(etag)))) {
            throw conditionNotMet();
        }
        if (ifNoneMatch != null && etag != null && (ifNoneMatch.equals("*") || ifNoneMatch.equals(etag))) {
            throw conditionNotMet();
        }
    }

    private static BlobError conditionNotMet() {
        return new BlobError(412, "ConditionNotMet", "The condition specified using HTTP conditional header(s) is "
                + "not met.");
    }

    private static void checkBlobName(String blob) {
        if (blob.length() > MAX_BLOB_NAME_CHARS) {
            throw new BlobError(400, "InvalidResourceName", "The specified resource name length is not within the "
                    + "permissible limits.");
        }
    }

    private void checkMd5(BlobRequest r, StagedData data) {
        String md5 = r.header("Content-MD5");
        if (md5 == null) return;
        if (!Base64.getEncoder().encodeToString(data.md5()).equals(md5.trim())) {
            throw new BlobError(400, "Md5Mismatch", "The MD5 value specified in the request did not match with the "
                    + "MD5 value calculated by the server.");
        }
    }

    private StagedData stageBody(BlobRequest r) {
        return stageBody(r, config.maxAppendBlockBytes());
    }

    private StagedData stageBody(BlobRequest r, long maxBytes) {
        try (InputStream in = r.body() == null ? InputStream.nullInputStream() : Files.newInputStream(r.body())) {
            return store.stage(in, maxBytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static long contentLength(BlobRequest r) {
        String length = r.header("Content-Length");
        if (length == null) {
            throw new BlobError(411, "MissingContentLengthHeader", "The Content-Length header was not specified.");
        }
        try {
            return Long.parseLong(length.trim());
        } catch (NumberFormatException e) {
            throw BlobError.invalidHeader("Content-Length", length);
        }
    }

    private static Long longHeader(BlobRequest r, String name) {
        String v = r.header(name);
        if (v == null) return null;
        try {
            long n = Long.parseLong(v.trim());
            if (n < 0) throw BlobError.invalidHeader(name, v);
            return n;
        } catch (NumberFormatException e) {
            throw BlobError.invalidHeader(name, v);
        }
    }

    private static String trimmed(String s) {
        return s == null ? null : s.trim();
    }

    /** Blob Storage's ETags look like {@code "0x8DC...."}: here the object's generation in that form. */
    static String etag(StoredObject o) {
        return etag(o.generation());
    }

    private static String etag(long n) {
        return "\"0x" + Long.toHexString(n).toUpperCase(Locale.ROOT) + "\"";
    }

    private static String lastModified(StoredObject o) {
        return HTTP_DATE.format(o.updated());
    }

    static String httpDate(Instant t) {
        return HTTP_DATE.format(t);
    }
}

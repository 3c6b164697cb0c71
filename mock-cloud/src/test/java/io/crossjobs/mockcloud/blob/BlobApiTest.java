package io.crossjobs.mockcloud.blob;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.crossjobs.mockcloud.objects.ObjectStore;
import io.crossjobs.mockcloud.sim.MutableClock;
import io.crossjobs.mockcloud.sim.Cloud;

/** The front end without its listener: limits that take too many requests to reach through HTTP. */
class BlobApiTest {
    private static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");
    private ObjectStore store;
    private BlobApi api;
    private Path dir;

    @BeforeEach
    void setUp() throws IOException {
        dir = Files.createTempDirectory("blob-api-test");
        store = new ObjectStore(dir, Clock.fixed(NOW, ZoneOffset.UTC), true);
        api = new BlobApi(store, config(3), Clock.fixed(NOW, ZoneOffset.UTC));
        assertEquals(201, api.handle(request("PUT", "/crossjobsmock/ct1", Map.of("restype", "container"),
                Map.of(), null)).status());
        assertEquals(201, api.handle(request("PUT", "/crossjobsmock/ct1/log", Map.of(),
                Map.of("x-ms-blob-type", "AppendBlob", "Content-Length", "0"), null)).status());
    }

    @AfterEach
    void tearDown() {
        store.close();
    }

    @Test
    void anAppendBlobTakesNoMoreBlocksThanTheLimitAndKeepsItsBytes() throws IOException {
        for (int i = 0; i < 3; i++) {
            BlobResponse r = api.handle(append(i, "x"));
            assertEquals(201, r.status());
            assertEquals(Integer.toString(i + 1), r.headers().get("x-ms-blob-committed-block-count"));
        }
        BlobError full = assertThrows(BlobError.class, () -> api.handle(append(3, "x")));
        assertEquals(409, full.status());
        assertEquals("BlockCountExceedsLimit", full.code());
        assertEquals("The committed block count cannot exceed the maximum limit of 3 blocks.", full.getMessage());
        assertEquals(3, store.head(Cloud.AZURE, "ct1", "log").orElseThrow().size());
    }

    @Test
    void aSharedKeyRequestOlderThanFifteenMinutesOrWithoutVersionIsRefused() {
        Map<String, String> old = Map.of("x-ms-date", BlobApi.httpDate(NOW.minus(Duration.ofMinutes(16))),
                "x-ms-version", "2026-06-06", "Authorization", "SharedKey crossjobsmock:c2ln");
        BlobError tooOld = assertThrows(BlobError.class, () -> api.handle(raw("GET", "/crossjobsmock/ct1/log",
                Map.of(), old, null)));
        assertEquals("AuthenticationFailed", tooOld.code());
        assertTrue(tooOld.details().get("AuthenticationErrorDetail").startsWith("Request date header too old"));

        Map<String, String> noVersion = Map.of("x-ms-date", BlobApi.httpDate(NOW),
                "Authorization", "SharedKey crossjobsmock:c2ln");
        BlobError missing = assertThrows(BlobError.class, () -> api.handle(raw("GET", "/crossjobsmock/ct1/log",
                Map.of(), noVersion, null)));
        assertEquals("MissingRequiredHeader", missing.code());
        assertEquals(400, missing.status());
    }

    @Test
    void aRangeAtTheEndIsInvalidRangeAndAnUnknownOperationIsNotPretended() throws IOException {
        assertEquals(201, api.handle(append(0, "abc")).status());
        BlobError past = assertThrows(BlobError.class, () -> api.handle(request("GET", "/crossjobsmock/ct1/log",
                Map.of(), Map.of("x-ms-range", "bytes=3-"), null)));
        assertEquals(416, past.status());
        assertEquals("bytes */3", past.headers().get("Content-Range"));
        BlobResponse tail = api.handle(request("GET", "/crossjobsmock/ct1/log", Map.of(),
                Map.of("x-ms-range", "bytes=1-"), null));
        assertEquals(206, tail.status());
        assertEquals("bytes 1-2/3", tail.headers().get("Content-Range"));
        tail.reader().close();

        BlobError snapshot = assertThrows(BlobError.class, () -> api.handle(request("PUT", "/crossjobsmock/ct1/log",
                Map.of("comp", "snapshot"), Map.of(), null)));
        assertEquals(501, snapshot.status());
    }

    @Test
    void aDeletedContainerTakesItsBlobsAndItsNameStaysTakenForThirtySeconds() throws IOException {
        MutableClock clock = new MutableClock();
        BlobApi api = new BlobApi(store, config(3), clock);
        Map<String, String> at = Map.of("x-ms-date", BlobApi.httpDate(clock.instant()));
        assertEquals(201, api.handle(request("PUT", "/crossjobsmock/ct1/other", Map.of(), Map.of("x-ms-date",
                BlobApi.httpDate(clock.instant()), "x-ms-blob-type", "AppendBlob", "Content-Length", "0"), null))
                .status());

        assertEquals(202, api.handle(request("DELETE", "/crossjobsmock/ct1", Map.of("restype", "container"), at,
                null)).status(), "a container holding blobs is deleted with them");
        assertTrue(store.bucket(Cloud.AZURE, "ct1").isEmpty());
        BlobError again = assertThrows(BlobError.class, () -> api.handle(request("PUT", "/crossjobsmock/ct1",
                Map.of("restype", "container"), at, null)));
        assertEquals(409, again.status());
        assertEquals("ContainerBeingDeleted", again.code());
        assertEquals("The specified container is being deleted.", again.getMessage());
        BlobError listed = assertThrows(BlobError.class, () -> api.handle(request("GET", "/crossjobsmock/ct1",
                Map.of("restype", "container", "comp", "list"), at, null)));
        assertEquals("ContainerNotFound", listed.code());
        BlobError deletedAgain = assertThrows(BlobError.class, () -> api.handle(request("DELETE", "/crossjobsmock/ct1",
                Map.of("restype", "container"), at, null)));
        assertEquals(404, deletedAgain.status());

        clock.advance(Duration.ofSeconds(29));
        Map<String, String> later = Map.of("x-ms-date", BlobApi.httpDate(clock.instant()));
        assertEquals("ContainerBeingDeleted", assertThrows(BlobError.class, () -> api.handle(request("PUT",
                "/crossjobsmock/ct1", Map.of("restype", "container"), later, null))).code());
        clock.advance(Duration.ofSeconds(1));
        Map<String, String> free = Map.of("x-ms-date", BlobApi.httpDate(clock.instant()));
        assertEquals(201, api.handle(request("PUT", "/crossjobsmock/ct1", Map.of("restype", "container"), free,
                null)).status(), "30 seconds on, the name is free");
        BlobError missing = assertThrows(BlobError.class, () -> api.handle(request("DELETE", "/crossjobsmock/nope",
                Map.of("restype", "container"), free, null)));
        assertEquals("ContainerNotFound", missing.code());
    }

    @Test
    void aBlockBlobLargerThanAnAppendBlockIsTakenInOnePutBlob() throws IOException {
        Path body = Files.createTempFile(dir, "body", "");
        try (java.nio.channels.FileChannel f = java.nio.channels.FileChannel.open(body,
                java.nio.file.StandardOpenOption.WRITE)) {
            f.write(java.nio.ByteBuffer.wrap(new byte[]{7}), (100L << 20) + 1);
        }
        long size = Files.size(body);
        assertEquals(201, api.handle(request("PUT", "/crossjobsmock/ct1/big", Map.of(), Map.of(
                "x-ms-blob-type", "BlockBlob", "Content-Length", Long.toString(size)), body)).status());
        assertEquals(size, store.head(Cloud.AZURE, "ct1", "big").orElseThrow().size());
    }

    private BlobRequest append(long position, String data) throws IOException {
        Path body = Files.createTempFile(dir, "body", "");
        Files.writeString(body, data);
        return request("PUT", "/crossjobsmock/ct1/log", Map.of("comp", "appendblock"), Map.of(
                "x-ms-blob-condition-appendpos", Long.toString(position),
                "Content-Length", Long.toString(Files.size(body))), body);
    }

    /** Shared Key's shape with a fresh date; the signature is not verified here ({@code verify-shared-key=false}). */
    private static BlobRequest request(String method, String path, Map<String, String> query,
                                       Map<String, String> headers, Path body) {
        Map<String, String> all = new java.util.HashMap<>(headers);
        all.putIfAbsent("x-ms-date", BlobApi.httpDate(NOW));
        all.put("x-ms-version", "2026-06-06");
        all.put("Authorization", "SharedKey crossjobsmock:c2ln");
        return raw(method, path, query, all, body);
    }

    private static BlobRequest raw(String method, String path, Map<String, String> query,
                                   Map<String, String> headers, Path body) {
        Map<String, String> h = BlobRequest.headerMap();
        h.putAll(headers);
        return new BlobRequest(method, path, List.copyOf(query.entrySet()), h, body, false, "127.0.0.1");
    }

    private static BlobConfig config(int maxBlocks) {
        return new BlobConfig() {
            @Override public int port() { return 0; }
            @Override public String host() { return "127.0.0.1"; }
            @Override public String accountName() { return "crossjobsmock"; }
            @Override public String accountKey() { return BlobTestSupport.KEY; }
            @Override public boolean verifySharedKey() { return false; }
            @Override public int sharedKeyMaxAgeMinutes() { return 15; }
            @Override public long maxAppendBlockBytesBefore20221102() { return 4L << 20; }
            @Override public long maxAppendBlockBytes() { return 100L << 20; }
            @Override public int maxBlocksPerAppendBlob() { return maxBlocks; }
            @Override public int containerDeletionSeconds() { return 30; }
        };
    }
}

package io.crossjobs.mockcloud.blob;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import com.azure.core.http.rest.PagedResponse;
import com.azure.core.util.Context;
import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.BlobServiceClient;
import com.azure.storage.blob.models.AppendBlobItem;
import com.azure.storage.blob.models.AppendBlobRequestConditions;
import com.azure.storage.blob.models.BlobErrorCode;
import com.azure.storage.blob.models.BlobItem;
import com.azure.storage.blob.models.BlobProperties;
import com.azure.storage.blob.models.BlobRange;
import com.azure.storage.blob.models.BlobStorageException;
import com.azure.storage.blob.models.BlobType;
import com.azure.storage.blob.models.ListBlobsOptions;
import com.azure.storage.blob.specialized.AppendBlobClient;

import io.quarkus.test.junit.QuarkusTest;

/** The real azure-storage-blob SDK (Shared Key over Vert.x) against mock-cloud's Blob listener. */
@QuarkusTest
class BlobSdkTest {

    @Inject
    BlobServer server;

    @Test
    void anAppendBlobIsMadeOnceAppendedAtItsPositionAndReadByRange() {
        BlobContainerClient container = container();
        assertTrue(container.createIfNotExists());
        assertFalse(container.createIfNotExists(), "409 ContainerAlreadyExists is what the SDK takes for 'exists'");
        AppendBlobClient blob = container.getBlobClient("out/0/output").getAppendBlobClient();
        assertEquals(201, created(blob));

        AppendBlobItem first = append(blob, "hello ", 0L);
        assertEquals("0", first.getBlobAppendOffset());
        assertEquals(1, first.getBlobCommittedBlockCount());
        assertEquals(409, created(blob), "If-None-Match: * on an existing blob is 409 and truncates nothing");

        BlobStorageException again = assertThrows(BlobStorageException.class, () -> append(blob, "hello ", 0L));
        assertEquals(412, again.getStatusCode());
        assertEquals(BlobErrorCode.APPEND_POSITION_CONDITION_NOT_MET, again.getErrorCode());
        AppendBlobItem second = append(blob, "world", 6L);
        assertEquals("6", second.getBlobAppendOffset());
        BlobStorageException tooBig = assertThrows(BlobStorageException.class, () -> blob.appendBlockWithResponse(
                new ByteArrayInputStream(new byte[5]), 5, null,
                new AppendBlobRequestConditions().setMaxSize(12L), null, Context.NONE));
        assertEquals(BlobErrorCode.MAX_BLOB_SIZE_CONDITION_NOT_MET, tooBig.getErrorCode());

        assertEquals("world", read(blob, 6, 100));
        assertEquals("hello world", read(blob, 0, 100));
        assertEquals("lo", read(blob, 3, 2));
        BlobStorageException past = assertThrows(BlobStorageException.class, () -> read(blob, 11, 100));
        assertEquals(416, past.getStatusCode());
        assertEquals(BlobErrorCode.INVALID_RANGE, past.getErrorCode());

        BlobProperties properties = blob.getProperties();
        assertEquals(11, properties.getBlobSize());
        assertEquals(BlobType.APPEND_BLOB, properties.getBlobType());
        assertEquals(2, properties.getCommittedBlockCount());
        // what the mock stored, read back through its admin API
        given().queryParam("cloud", "azure").queryParam("bucket", container.getBlobContainerName())
                .get("/mock/objects").then().statusCode(200)
                .body("[0].objects[0].key", org.hamcrest.Matchers.equalTo("out/0/output"))
                .body("[0].objects[0].size", org.hamcrest.Matchers.equalTo(11));
    }

    @Test
    void listingPagesByPrefixAndDeletingMakesThemGo() {
        BlobContainerClient container = container();
        container.create();
        List<String> names = List.of("a/1/0/output", "a/1/1/output", "a/1/2/output", "a/2/0/output", "b/output");
        names.forEach(n -> container.getBlobClient(n).getAppendBlobClient().create());

        List<String> listed = new ArrayList<>();
        int pages = 0;
        for (PagedResponse<BlobItem> page : container.listBlobs(new ListBlobsOptions().setPrefix("a/1/")
                .setMaxResultsPerPage(2), null).iterableByPage()) {
            pages++;
            page.getValue().forEach(i -> {
                listed.add(i.getName());
                assertEquals(BlobType.APPEND_BLOB, i.getProperties().getBlobType());
                assertEquals(0L, i.getProperties().getContentLength());
            });
        }
        assertEquals(List.of("a/1/0/output", "a/1/1/output", "a/1/2/output"), listed);
        assertEquals(2, pages, "two a page, continued by NextMarker");

        container.getBlobClient("a/1/1/output").delete();
        assertFalse(container.getBlobClient("a/1/1/output").exists());
        BlobStorageException gone = assertThrows(BlobStorageException.class,
                () -> container.getBlobClient("a/1/1/output").delete());
        assertEquals(BlobErrorCode.BLOB_NOT_FOUND, gone.getErrorCode());
        assertFalse(container.getBlobClient("a/1/1/output").deleteIfExists());
    }

    @Test
    void aRequestSignedWithAnotherKeyOrForAMissingContainerIsRefused() {
        String otherKey = java.util.Base64.getEncoder().encodeToString(new byte[64]);
        BlobServiceClient wrong = BlobTestSupport.client(server, otherKey);
        BlobStorageException e = assertThrows(BlobStorageException.class,
                () -> wrong.getBlobContainerClient("c-" + UUID.randomUUID()).create());
        assertEquals(403, e.getStatusCode());
        assertEquals(BlobErrorCode.AUTHENTICATION_FAILED, e.getErrorCode());
        assertTrue(e.getMessage().contains("is not the same as any computed signature"), e.getMessage());

        BlobStorageException missing = assertThrows(BlobStorageException.class, () -> container()
                .getBlobClient("x").getAppendBlobClient().create());
        assertEquals(BlobErrorCode.CONTAINER_NOT_FOUND, missing.getErrorCode());
        BlobStorageException badName = assertThrows(BlobStorageException.class,
                () -> BlobTestSupport.client(server, BlobTestSupport.KEY).getBlobContainerClient("Bad_Name").create());
        assertEquals(BlobErrorCode.INVALID_RESOURCE_NAME, badName.getErrorCode());
    }

    @Test
    void deletingAContainerTakesItsBlobsAndItsNameCannotBeTakenAgainAtOnce() {
        BlobContainerClient container = container();
        container.create();
        container.getBlobClient("a/b.txt").getBlockBlobClient().upload(new ByteArrayInputStream(bytes("b")), 1);
        String sas = container.generateSas(new com.azure.storage.blob.sas.BlobServiceSasSignatureValues(
                java.time.OffsetDateTime.now().plusHours(1), new com.azure.storage.blob.sas.BlobContainerSasPermission()
                .setDeletePermission(true).setReadPermission(true).setListPermission(true)));
        java.net.http.HttpResponse<String> bySas = BlobTestSupport.send("DELETE", container.getBlobContainerUrl()
                + "?restype=container&" + sas, java.util.Map.of(), null);
        assertEquals(403, bySas.statusCode(), "a service SAS deletes blobs, never their container");
        assertEquals("AuthorizationPermissionMismatch", BlobTestSupport.errorCode(bySas));

        assertEquals(202, container.deleteWithResponse(null, null, Context.NONE).getStatusCode());
        BlobStorageException again = assertThrows(BlobStorageException.class, container::create);
        assertEquals(409, again.getStatusCode());
        assertEquals(BlobErrorCode.CONTAINER_BEING_DELETED, again.getErrorCode());
        assertFalse(container.createIfNotExists(), "the SDK's createIfNotExists takes any 409 for 'exists'");
        BlobStorageException read = assertThrows(BlobStorageException.class,
                () -> container.getBlobClient("a/b.txt").getProperties());
        assertEquals(404, read.getStatusCode(), "the blobs go with their container");
        assertFalse(container.deleteIfExists(), "404 while it is being deleted");
        given().queryParam("cloud", "azure").queryParam("bucket", container.getBlobContainerName())
                .get("/mock/objects").then().statusCode(200).body("size()", org.hamcrest.Matchers.equalTo(0));
    }

    private BlobContainerClient container() {
        return BlobTestSupport.client(server, BlobTestSupport.KEY)
                .getBlobContainerClient("c-" + UUID.randomUUID().toString().substring(0, 8));
    }

    private static int created(AppendBlobClient blob) {
        return blob.createIfNotExistsWithResponse(null, null, Context.NONE).getStatusCode();
    }

    private static AppendBlobItem append(AppendBlobClient blob, String text, Long position) {
        byte[] data = text.getBytes(StandardCharsets.UTF_8);
        return blob.appendBlockWithResponse(new ByteArrayInputStream(data), data.length, null,
                new AppendBlobRequestConditions().setAppendPosition(position), null, Context.NONE).getValue();
    }

    private static String read(AppendBlobClient blob, long offset, long count) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        blob.downloadStreamWithResponse(out, new BlobRange(offset, count), null, null, false, null, Context.NONE);
        return out.toString(StandardCharsets.UTF_8);
    }

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static void assertBytes(byte[] expected, byte[] got) {
        assertArrayEquals(expected, got);
    }
}

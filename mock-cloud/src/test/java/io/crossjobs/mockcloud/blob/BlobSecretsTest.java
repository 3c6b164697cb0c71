package io.crossjobs.mockcloud.blob;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.time.OffsetDateTime;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.azure.core.util.BinaryData;
import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.models.BlobStorageException;
import com.azure.storage.blob.models.BlobType;
import com.azure.storage.blob.sas.BlobSasPermission;
import com.azure.storage.blob.sas.BlobServiceSasSignatureValues;
import com.azure.storage.blob.specialized.BlockBlobClient;
import com.azure.storage.common.sas.SasProtocol;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

/**
 * A node's secrets as the Azure adapter stores them: Put Blob of a block blob with Shared Key (the real SDK), then
 * Get Blob and Delete Blob through a read/delete service SAS on that one blob, as the node's curl sends them.
 */
@QuarkusTest
class BlobSecretsTest {
    private static final String SECRETS = "export API_TOKEN='s3cr3t'\n";

    @Inject
    BlobServer server;

    private BlobContainerClient container;
    private BlockBlobClient blob;

    @BeforeEach
    void stored() {
        container = BlobTestSupport.client(server, BlobTestSupport.KEY)
                .getBlobContainerClient("secrets-" + UUID.randomUUID().toString().substring(0, 8));
        container.create();
        blob = container.getBlobClient("crossjobs-output/j/1/c/secrets-0").getBlockBlobClient();
        blob.upload(BinaryData.fromString(SECRETS), true);
    }

    @AfterEach
    void heal() {
        given().delete("/mock/account").then().statusCode(204);
    }

    @Test
    void aBlockBlobIsPutWholeAndReplacedByAnotherPut() {
        assertEquals(BlobType.BLOCK_BLOB, blob.getProperties().getBlobType());
        assertEquals(SECRETS, blob.downloadContent().toString());

        blob.upload(BinaryData.fromString("export B='2'\n"), true);

        assertEquals("export B='2'\n", blob.downloadContent().toString(), "a replayed launch stores it again");
        BlobStorageException notAppendable = assertThrows(BlobStorageException.class,
                () -> container.getBlobClient(blob.getBlobName()).getAppendBlobClient().appendBlock(
                        new java.io.ByteArrayInputStream(new byte[] {1}), 1));
        assertEquals("InvalidBlobType", notAppendable.getErrorCode().toString());
    }

    @Test
    void aReadDeleteSasGetsThenDeletesTheOneBlobAndThenFindsNothing() {
        String url = sasUrl(new BlobSasPermission().setReadPermission(true).setDeletePermission(true),
                OffsetDateTime.now().plusHours(1));

        HttpResponse<String> got = BlobTestSupport.send("GET", url, Map.of("x-ms-version", BlobTestSupport.VERSION), null);
        assertEquals(200, got.statusCode());
        assertEquals(SECRETS, got.body());
        HttpResponse<String> deleted = BlobTestSupport.send("DELETE", url, Map.of("x-ms-version", BlobTestSupport.VERSION), null);
        assertEquals(202, deleted.statusCode(), deleted.body());

        assertFalse(blob.exists(), "read back with Shared Key: gone");
        HttpResponse<String> again = BlobTestSupport.send("GET", url, Map.of(), null);
        assertEquals(404, again.statusCode());
        assertEquals("BlobNotFound", BlobTestSupport.errorCode(again));
        assertEquals(404, BlobTestSupport.send("DELETE", url, Map.of(), null).statusCode());
    }

    @Test
    void aReadOnlySasCannotDeleteAndAnExpiredOrTamperedOneIsRefused() {
        String readOnly = sasUrl(new BlobSasPermission().setReadPermission(true), OffsetDateTime.now().plusHours(1));
        HttpResponse<String> delete = BlobTestSupport.send("DELETE", readOnly, Map.of(), null);
        assertEquals(403, delete.statusCode());
        assertEquals("AuthorizationPermissionMismatch", BlobTestSupport.errorCode(delete));

        String expired = sasUrl(new BlobSasPermission().setReadPermission(true).setDeletePermission(true),
                OffsetDateTime.now().minusMinutes(1));
        HttpResponse<String> late = BlobTestSupport.send("GET", expired, Map.of(), null);
        assertEquals(403, late.statusCode());
        assertEquals("AuthenticationFailed", BlobTestSupport.errorCode(late));
        assertTrue(late.body().contains("Signature not valid in the specified time frame"), late.body());

        String tampered = readOnly.replace("sp=r", "sp=rd");
        HttpResponse<String> widened = BlobTestSupport.send("DELETE", tampered, Map.of(), null);
        assertEquals(403, widened.statusCode());
        assertEquals("AuthenticationFailed", BlobTestSupport.errorCode(widened));
        assertTrue(blob.exists(), "nothing refused deleted it");
    }

    @Test
    void aRevokedKeyRefusesSharedKeyAndTheSasesSignedWithIt() {
        String url = sasUrl(new BlobSasPermission().setReadPermission(true), OffsetDateTime.now().plusHours(1));
        given().contentType(ContentType.JSON).body(Map.of("credentialsRevoked", true)).put("/mock/account/azure")
                .then().statusCode(200);

        BlobStorageException sdk = assertThrows(BlobStorageException.class, () -> container.exists());
        assertEquals(403, sdk.getStatusCode());
        assertEquals("AuthenticationFailed", sdk.getErrorCode().toString());
        HttpResponse<String> presigned = BlobTestSupport.send("GET", url, Map.of(), null);
        assertEquals(403, presigned.statusCode());
        assertEquals("AuthenticationFailed", BlobTestSupport.errorCode(presigned));

        given().delete("/mock/account").then().statusCode(204);
        assertEquals(200, BlobTestSupport.send("GET", url, Map.of(), null).statusCode(), "the key is good again");
    }

    private String sasUrl(BlobSasPermission permission, OffsetDateTime expiry) {
        return blob.getBlobUrl() + "?" + blob.generateSas(new BlobServiceSasSignatureValues(expiry, permission)
                .setProtocol(SasProtocol.HTTPS_HTTP));
    }
}

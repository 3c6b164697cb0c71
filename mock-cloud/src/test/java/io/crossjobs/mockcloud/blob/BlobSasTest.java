package io.crossjobs.mockcloud.blob;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.azure.storage.blob.BlobClient;
import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.sas.BlobSasPermission;
import com.azure.storage.blob.sas.BlobServiceSasSignatureValues;
import com.azure.storage.common.sas.SasProtocol;

import io.quarkus.test.junit.QuarkusTest;

/**
 * Service SASes made by the real SDK, used as a node's curl uses them: the signature, the time frame, the protocol
 * and the permission are each checked, and a refused request stores nothing.
 */
@QuarkusTest
class BlobSasTest {
    private static final int MIB = 1024 * 1024;

    @Inject
    BlobServer server;

    private BlobContainerClient container;
    private BlobClient blob;

    @BeforeEach
    void appendBlob() {
        container = BlobTestSupport.client(server, BlobTestSupport.KEY)
                .getBlobContainerClient("sas-" + UUID.randomUUID().toString().substring(0, 8));
        container.create();
        blob = container.getBlobClient("out/0/output");
        blob.getAppendBlobClient().create();
    }

    @Test
    void anAddOnlySasAppendsButNeitherCreatesNorReadsNorReachesAnotherBlob() {
        String url = sasUrl(blob, add(), SasProtocol.HTTPS_HTTP, OffsetDateTime.now().plusHours(1), null);

        HttpResponse<String> appended = BlobTestSupport.appendWithSas(url, 0, bytes("line 1\n"), BlobTestSupport.VERSION);
        assertEquals(201, appended.statusCode(), appended.body());
        HttpResponse<String> retried = BlobTestSupport.appendWithSas(url, 0, bytes("line 1\n"), BlobTestSupport.VERSION);
        assertEquals(412, retried.statusCode(), "a chunk shipped again is refused, not appended twice");
        assertEquals("AppendPositionConditionNotMet", BlobTestSupport.errorCode(retried));
        assertTrue(retried.body().contains("<Code>AppendPositionConditionNotMet</Code>"), retried.body());

        HttpResponse<String> read = BlobTestSupport.send("GET", url, Map.of(), null);
        assertEquals(403, read.statusCode());
        assertEquals("AuthorizationPermissionMismatch", BlobTestSupport.errorCode(read));
        HttpResponse<String> put = BlobTestSupport.send("PUT", url, Map.of("x-ms-blob-type", "AppendBlob",
                "x-ms-version", BlobTestSupport.VERSION), new byte[0]);
        assertEquals(403, put.statusCode(), "Put Blob would truncate the output: add (a) does not allow it");
        assertEquals("AuthorizationPermissionMismatch", BlobTestSupport.errorCode(put));
        String other = container.getBlobClient("out/1/output").getBlobUrl() + url.substring(url.indexOf('?'));
        HttpResponse<String> elsewhere = BlobTestSupport.appendWithSas(other, 0, bytes("x"), BlobTestSupport.VERSION);
        assertEquals(403, elsewhere.statusCode());
        assertEquals("AuthenticationFailed", BlobTestSupport.errorCode(elsewhere));
        assertTrue(elsewhere.body().contains("Signature did not match"), elsewhere.body());

        assertEquals("line 1\n", content(blob));
    }

    @Test
    void aTamperedExpiredNotYetValidOrHttpsOnlySasIsRefused() {
        String url = sasUrl(blob, add(), SasProtocol.HTTPS_HTTP, OffsetDateTime.now().plusHours(1), null);
        HttpResponse<String> widened = BlobTestSupport.appendWithSas(url.replace("sp=a", "sp=racwd"), 0, bytes("x"),
                BlobTestSupport.VERSION);
        assertEquals(403, widened.statusCode());
        assertEquals("AuthenticationFailed", BlobTestSupport.errorCode(widened));

        String expired = sasUrl(blob, add(), SasProtocol.HTTPS_HTTP, OffsetDateTime.now().minusMinutes(1), null);
        HttpResponse<String> late = BlobTestSupport.appendWithSas(expired, 0, bytes("x"), BlobTestSupport.VERSION);
        assertEquals(403, late.statusCode());
        assertTrue(late.body().contains("Signature not valid in the specified time frame"), late.body());

        String early = sasUrl(blob, add(), SasProtocol.HTTPS_HTTP, OffsetDateTime.now().plusHours(2),
                OffsetDateTime.now().plusHours(1));
        HttpResponse<String> tooSoon = BlobTestSupport.appendWithSas(early, 0, bytes("x"), BlobTestSupport.VERSION);
        assertEquals(403, tooSoon.statusCode());
        assertEquals("AuthenticationFailed", BlobTestSupport.errorCode(tooSoon));

        String httpsOnly = sasUrl(blob, add(), SasProtocol.HTTPS_ONLY, OffsetDateTime.now().plusHours(1), null);
        HttpResponse<String> plain = BlobTestSupport.appendWithSas(httpsOnly, 0, bytes("x"), BlobTestSupport.VERSION);
        assertEquals(403, plain.statusCode());
        assertEquals("AuthorizationProtocolMismatch", BlobTestSupport.errorCode(plain));

        HttpResponse<String> anonymous = BlobTestSupport.send("GET", blob.getBlobUrl(), Map.of(), null);
        assertEquals(404, anonymous.statusCode(), "containers are private");
        assertEquals("ResourceNotFound", BlobTestSupport.errorCode(anonymous));

        assertEquals(0, blob.getProperties().getBlobSize(), "nothing refused was stored");
    }

    @Test
    void anAppendOverItsVersionsLimitIsRequestBodyTooLargeAndStoresNothing() {
        String url = sasUrl(blob, add(), SasProtocol.HTTPS_HTTP, OffsetDateTime.now().plusHours(1), null);
        byte[] fourMiB = new byte[4 * MIB];
        Arrays.fill(fourMiB, (byte) 'a');
        byte[] overFour = Arrays.copyOf(fourMiB, 4 * MIB + 1);

        HttpResponse<String> old = BlobTestSupport.appendWithSas(url, 0, overFour, "2021-12-02");
        assertEquals(413, old.statusCode());
        assertEquals("RequestBodyTooLarge", BlobTestSupport.errorCode(old));
        assertTrue(old.body().contains("<MaxLimit>4194304</MaxLimit>"), old.body());
        assertEquals(201, BlobTestSupport.appendWithSas(url, 0, fourMiB, "2021-12-02").statusCode());
        assertEquals(201, BlobTestSupport.appendWithSas(url, 4 * MIB, overFour, BlobTestSupport.VERSION).statusCode(),
                "from 2022-11-02 on a block may carry 100 MiB");

        assertEquals(8 * MIB + 1, blob.getProperties().getBlobSize());
        assertEquals(2, blob.getProperties().getCommittedBlockCount());
    }

    private static BlobSasPermission add() {
        return new BlobSasPermission().setAddPermission(true);
    }

    private static String sasUrl(BlobClient blob, BlobSasPermission permission, SasProtocol protocol,
                                 OffsetDateTime expiry, OffsetDateTime start) {
        BlobServiceSasSignatureValues values = new BlobServiceSasSignatureValues(expiry, permission)
                .setProtocol(protocol);
        if (start != null) values.setStartTime(start);
        return blob.getBlobUrl() + "?" + blob.generateSas(values);
    }

    private static String content(BlobClient blob) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        blob.downloadStream(out);
        return out.toString(StandardCharsets.UTF_8);
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}

package io.crossjobs.provisioner.azure.service;

import com.azure.core.http.vertx.VertxHttpClientBuilder;
import com.azure.storage.blob.models.BlobErrorCode;
import com.azure.storage.blob.models.BlobStorageException;
import io.crossjobs.events.StoredObject;
import io.crossjobs.provisioner.azure.config.AzureConfig;
import io.crossjobs.testsupport.MockCloudProcess;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The object store's listing and removal against mock-cloud's Blob front end, with pages of two blobs so that a
 * listing must follow List Blobs' NextMarker (mock-cloud answers no more than {@code maxresults} a page).
 */
class AzureObjectStoreListingTest {
    private static Vertx vertx;
    private static BlobAccount account;
    private static AzureObjectStore store;
    private static final String STORE = "listing-" + UUID.randomUUID().toString().substring(0, 8);

    @BeforeAll
    static void start() {
        vertx = Vertx.vertx();
        MockCloudProcess.Blob blob = MockCloudProcess.shared().blob();
        AzureConfig.Storage storage = new AzureConfig.Storage() {
            @Override public String account() { return blob.account(); }
            @Override public String accountKey() { return blob.accountKey(); }
            @Override public String container() { return "listing-output"; }
            @Override public String storeContainer() { return STORE; }
            @Override public Optional<URI> endpointOverride() { return Optional.of(URI.create(blob.endpoint())); }
        };
        account = new BlobAccount(storage, new VertxHttpClientBuilder().vertx(vertx).build());
        store = new AzureObjectStore(account, STORE, Duration.ofSeconds(30), 2);
    }

    @AfterAll
    static void stop() {
        vertx.close();
    }

    @Test
    void aListingFollowsPagesToTheLimitAndTheStoreGoesWithItsBlobs() {
        String uri = store.ensureStore();
        List<String> names = List.of("p/1", "p/2", "p/3", "p/4", "p/5", "q/1");
        for (String name : names) {
            account.container(STORE).getBlobClient(name).getBlockBlobClient()
                    .upload(new java.io.ByteArrayInputStream(name.getBytes()), name.length());
        }

        List<StoredObject> listed = store.list(uri + "/p/", 5);
        assertEquals(List.of(uri + "/p/1", uri + "/p/2", uri + "/p/3", uri + "/p/4", uri + "/p/5"),
                listed.stream().map(StoredObject::uri).toList(), "three pages of at most two");
        assertTrue(listed.stream().allMatch(o -> o.bytes() == 3));
        IllegalArgumentException tooMany = assertThrows(IllegalArgumentException.class,
                () -> store.list(uri + "/p/", 4));
        assertTrue(tooMany.getMessage().contains("more than 4"), tooMany.getMessage());
        assertEquals(6, store.list(uri, 100).size(), "the container's URI lists all of it");
        IllegalArgumentException missing = assertThrows(IllegalArgumentException.class,
                () -> store.list(uri + "-missing/p/", 10));
        assertTrue(missing.getMessage().contains("does not exist"), missing.getMessage());

        assertEquals(6, store.deleteStore(), "counted over three pages");
        assertFalse(account.container(STORE).exists());
        assertEquals(0, store.deleteStore());
        BlobStorageException taken = assertThrows(BlobStorageException.class, () -> account.container(STORE).create());
        assertEquals(BlobErrorCode.CONTAINER_BEING_DELETED, taken.getErrorCode(),
                "the name stays taken a while, as Azure keeps it");
    }
}

package io.crossjobs.provisioner.gcp;

import com.google.cloud.storage.BlobId;
import com.google.cloud.storage.BlobInfo;
import com.google.cloud.storage.Bucket;
import com.google.cloud.storage.BucketInfo;
import com.google.cloud.storage.Storage;
import io.crossjobs.events.StoredObject;
import io.crossjobs.provisioner.gcp.config.GcpConfig;
import io.crossjobs.provisioner.gcp.service.GcsClients;
import io.crossjobs.provisioner.gcp.service.GcsObjectStore;
import io.crossjobs.testsupport.MockCloudProcess;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The object store's Cloud Storage calls against mock-cloud, read back with the JSON API: the bucket it makes,
 * listings over more than one page, what it refuses to list, sign or delete.
 */
class GcsObjectStoreTest {
    private static GcsClients clients;
    private static Storage storage;
    private static MockCloudProcess mock;

    @BeforeAll
    static void start() {
        mock = MockCloudProcess.shared();
        clients = new GcsClients(GceProvisionerTest.config(mock.endpoint(), mock.gcs().endpoint(), mock.gcs().keyFile()));
        storage = clients.storage();
    }

    @AfterAll
    static void stop() throws Exception {
        clients.close();
    }

    private static GcsObjectStore store(String bucket) {
        return new GcsObjectStore(clients, GceProvisionerTest.config(mock.endpoint(), mock.gcs().endpoint(),
                mock.gcs().keyFile(), Optional.of(bucket)));
    }

    private static String bucketName() {
        return "store-" + UUID.randomUUID().toString().substring(0, 8);
    }

    @Test
    void theStoreIsAPrivateLabelledBucketInTheConfiguredLocation() {
        String name = bucketName();
        assertEquals("gs://" + name, store(name).ensure());
        Bucket made = storage.get(name);
        assertNotNull(made);
        assertEquals("US-CENTRAL1", made.getLocation());
        assertEquals(Map.of("managed-by", "crossjobs"), made.getLabels());
        assertTrue(made.getIamConfiguration().isUniformBucketLevelAccessEnabled());
        assertEquals(BucketInfo.PublicAccessPrevention.ENFORCED, made.getIamConfiguration().getPublicAccessPrevention());
        assertTrue(made.getLifecycleRules() == null || made.getLifecycleRules().isEmpty(),
                "retention deletes the store's objects, no lifecycle rule");
    }

    @Test
    void aListingFollowsThePagesAndRefusesOneObjectOverTheLimit() {
        String name = bucketName();
        GcsObjectStore store = store(name);
        store.ensure();
        // 1,001 objects: two pages of objects.list, whose pages hold at most 1,000
        IntStream.range(0, 1001).forEach(i -> storage.create(BlobInfo.newBuilder(name, String.format("data/%04d", i))
                .build(), new byte[] {1, 2}));
        storage.create(BlobInfo.newBuilder(name, "data/folder/").build(), new byte[0]);

        List<StoredObject> all = store.list("gs://" + name + "/data/", 1001);
        assertEquals(1001, all.size(), "both pages, without the folder placeholder");
        assertEquals(new StoredObject("gs://" + name + "/data/1000", 2), all.get(1000));
        IllegalArgumentException over = assertThrows(IllegalArgumentException.class,
                () -> store.list("gs://" + name + "/data/", 1000));
        assertTrue(over.getMessage().contains("1000"), over.getMessage());
        assertEquals(1002, store.delete(), "the whole store over both pages, the folder placeholder too");
        assertEquals(null, storage.get(name));
    }

    @Test
    void aMissingBucketAnotherCloudsUriAndAPrefixAreRefusedByName() {
        GcsObjectStore store = store(bucketName());
        IllegalArgumentException missing = assertThrows(IllegalArgumentException.class,
                () -> store.list("gs://no-such-bucket-" + UUID.randomUUID().toString().substring(0, 8) + "/x/", 10));
        assertTrue(missing.getMessage().contains("does not exist"), missing.getMessage());
        assertThrows(IllegalArgumentException.class, () -> store.list("s3://b/x/", 10));
        assertThrows(IllegalArgumentException.class, () -> store.sign("GET", "gs://b/folder/", Duration.ofMinutes(1)));
        assertThrows(IllegalArgumentException.class, () -> store.sign("POST", "gs://b/x", Duration.ofMinutes(1)));
    }

    @Test
    void aBucketCrossjobsDidNotMakeIsNeverDeleted() {
        String name = bucketName();
        storage.create(BucketInfo.newBuilder(name).setLocation("us-central1").build());
        storage.create(BlobInfo.newBuilder(BlobId.of(name, "precious")).build(), new byte[] {7});
        GcsObjectStore store = store(name);
        assertEquals("gs://" + name, store.ensure(), "a user's bucket may be the store");

        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class, store::delete);
        assertTrue(refused.getMessage().contains("not made by crossjobs"), refused.getMessage());
        assertNotNull(storage.get(BlobId.of(name, "precious")), "nothing was deleted");
    }
}

package io.crossjobs.provisioner.gcp.service;

import com.google.api.gax.paging.Page;
import com.google.cloud.storage.Blob;
import com.google.cloud.storage.BlobId;
import com.google.cloud.storage.BlobInfo;
import com.google.cloud.storage.Bucket;
import com.google.cloud.storage.HttpMethod;
import com.google.cloud.storage.Storage;
import com.google.cloud.storage.StorageException;
import io.crossjobs.events.SignedRequest;
import io.crossjobs.events.StorageUris;
import io.crossjobs.events.StoredObject;
import io.crossjobs.provisioner.gcp.config.GcpConfig;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * crossjobs' object store on Cloud Storage and the object requests other components need signed (see
 * {@code CloudProvisioner}'s store methods): one private bucket, {@code store-bucket}, made on first use; V4 signed
 * URLs of the XML API through the same signer as the secrets' ({@link GcsClients#signUrl}); listings by the JSON
 * API's objects.list, page after page.
 */
@ApplicationScoped
public class GcsObjectStore {
    private static final Logger LOG = Logger.getLogger(GcsObjectStore.class);
    /** objects.list's largest page (cloud.google.com/storage/docs/json_api/v1/objects/list, maxResults). */
    static final int LIST_PAGE = 1000;
    private static final Set<String> METHODS = Set.of("GET", "PUT", "DELETE");

    private final GcsClients clients;
    private final GcpConfig config;

    public GcsObjectStore(GcsClients clients, GcpConfig config) {
        this.clients = clients;
        this.config = config;
    }

    /** The store's bucket: configured, else named after the project (project ids are unique, so is the name). */
    public String bucket() {
        return config.storeBucket().orElse(config.project() + "-crossjobs-store");
    }

    public static boolean owns(String uri) {
        return StorageUris.cloudOf(uri).filter("gcp"::equals).isPresent();
    }

    /**
     * Makes the bucket unless it exists: private, no lifecycle rule (retention deletes what it stores); a bucket
     * that exists is used as it is. Asks Cloud Storage every time, so a store removed meanwhile is made again.
     */
    public String ensure() {
        if (GcsBuckets.ensure(clients.storage(), GcsBuckets.privateBucket(bucket(), config.storeBucketLocation())
                .build())) {
            LOG.infof("cloud=gcp made the object store gs://%s in %s", bucket(), config.storeBucketLocation());
        }
        return "gs://" + bucket();
    }

    /** A V4 signed URL for {@code method} of the object {@code objectUri}; the holder adds no header. */
    public SignedRequest sign(String method, String objectUri, Duration validity) {
        if (!METHODS.contains(method)) {
            throw new IllegalArgumentException("a signed request is a GET, PUT or DELETE, not " + method);
        }
        StorageUris.Location object = location(objectUri);
        if (object.key().isEmpty() || object.key().endsWith("/")) {
            throw new IllegalArgumentException("'" + objectUri + "' names no object");
        }
        BlobInfo blob = BlobInfo.newBuilder(BlobId.of(object.bucket(), object.key())).build();
        return new SignedRequest(method, clients.signUrl(blob, HttpMethod.valueOf(method), validity).toString(),
                Map.of());
    }

    /**
     * The objects whose names start with the prefix of {@code prefixUri}, following objects.list's pages; a name
     * ending in '/' (a folder placeholder the console makes, empty) is no file and left out. More than {@code max}
     * is an IllegalArgumentException naming the limit, read no further than one page past it.
     */
    public List<StoredObject> list(String prefixUri, int max) {
        StorageUris.Location prefix = location(prefixUri);
        Page<Blob> page;
        try {
            page = clients.storage().list(prefix.bucket(), Storage.BlobListOption.prefix(prefix.key()),
                    Storage.BlobListOption.pageSize(LIST_PAGE));
        } catch (StorageException e) {
            if (e.getCode() == 404) {
                throw new IllegalArgumentException("the bucket gs://" + prefix.bucket() + " does not exist");
            }
            throw e;
        }
        List<StoredObject> objects = new ArrayList<>();
        for (Blob b : page.iterateAll()) {
            if (b.getName().endsWith("/")) continue;
            if (objects.size() == max) {
                throw new IllegalArgumentException("more than " + max + " objects under " + prefixUri
                        + " (the limit is " + max + ")");
            }
            objects.add(new StoredObject(prefix.uriOf(b.getName()), b.getSize()));
        }
        return objects;
    }

    /**
     * Deletes every object of the store, then the bucket; no bucket is fine (0). A bucket crossjobs did not make
     * (no {@code managed-by=crossjobs} label: {@code store-bucket} names a user's) is refused. An object written
     * while it is emptied makes buckets.delete answer 409: it is emptied again, at most three times.
     */
    public int delete() {
        Storage storage = clients.storage();
        Bucket bucket = storage.get(bucket());
        if (bucket == null) return 0;
        if (!GcsBuckets.madeByCrossjobs(bucket)) {
            throw new IllegalArgumentException("gs://" + bucket() + " was not made by crossjobs (no label "
                    + io.crossjobs.events.CloudTags.MANAGED_BY + "=" + io.crossjobs.events.CloudTags.MANAGED_BY_VALUE
                    + "): it is not deleted");
        }
        int deleted = 0;
        for (int round = 1; ; round++) {
            try {
                for (Blob b : storage.list(bucket(), Storage.BlobListOption.pageSize(LIST_PAGE)).iterateAll()) {
                    // false: gone meanwhile (retention deleting it too)
                    if (storage.delete(BlobId.of(bucket(), b.getName()))) deleted++;
                }
                storage.delete(bucket());   // false: deleted meanwhile, as wanted
                LOG.infof("cloud=gcp deleted the object store gs://%s and its %d objects", bucket(), deleted);
                return deleted;
            } catch (StorageException e) {
                if (e.getCode() == 404) return deleted;
                if (e.getCode() != 409 || round == 3) throw e;
            }
        }
    }

    private static StorageUris.Location location(String uri) {
        return StorageUris.parse(uri).filter(l -> l.cloud().equals("gcp"))
                .orElseThrow(() -> new IllegalArgumentException("'" + uri + "' is not a gs:// URI"));
    }
}

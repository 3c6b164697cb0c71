package io.crossjobs.provisioner.store;

import io.crossjobs.events.BlockScope;
import io.crossjobs.events.ErrorClass;
import io.crossjobs.events.FileMount;
import io.crossjobs.events.InternalAuth;
import io.crossjobs.events.SecretSealer;
import io.crossjobs.events.SignedRequest;
import io.crossjobs.events.StagedMount;
import io.crossjobs.events.StorageUris;
import io.crossjobs.events.StoreClient;
import io.crossjobs.events.StoredObject;
import io.crossjobs.provisioner.CloudProvisioner;
import io.crossjobs.provisioner.config.ProvisionerConfig;
import io.crossjobs.provisioner.model.CloudError;
import io.crossjobs.provisioner.service.CloudCallException;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Signs, at each launch, the GETs a node stages its files with: objects of this cloud are signed here; objects of
 * another cloud by that cloud's provisioner ({@code crossjobs.provisioner.peers.<cloud>}), the one service holding its
 * credentials. A bucket prefix is listed first and each of its objects signed.
 */
@ApplicationScoped
public class FileStaging {
    private final CloudProvisioner cloud;
    private final ProvisionerConfig config;
    private final Optional<String> secretsKey;
    /** One client (and HTTP connection pool) per peer, not one per mount. */
    private final Map<String, StoreClient> peers = new ConcurrentHashMap<>();

    public FileStaging(CloudProvisioner cloud, ProvisionerConfig config,
                       @ConfigProperty(name = "crossjobs.secrets.key") Optional<String> secretsKey) {
        this.cloud = cloud;
        this.config = config;
        this.secretsKey = secretsKey.filter(k -> !k.isBlank());
    }

    /**
     * Every mount with its signed GETs, valid for {@code crossjobs.provisioner.staging-fetch-validity}.
     *
     * @throws CloudCallException classified: INVALID_REQUEST for what fails the same everywhere (an object or URI
     *                            the store refuses, a bucket over the object limit), TRANSIENT when a store did not
     *                            answer
     */
    public List<StagedMount> sign(List<FileMount> mounts) {
        List<StagedMount> staged = new ArrayList<>();
        for (FileMount mount : mounts) {
            Store store = storeOf(mount.uri());
            try {
                staged.add(switch (mount.source()) {
                    case ARCHIVE, FILE -> new StagedMount(mount, List.of(
                            new StagedMount.StagedObject("", store.signGets(List.of(mount.uri())).get(0))));
                    case BUCKET -> bucket(mount, store);
                });
            } catch (StoreClient.StoreException e) {
                throw failure(e.status() / 100 == 4 ? ErrorClass.INVALID_REQUEST : ErrorClass.TRANSIENT,
                        mount.target() + " from " + mount.uri() + ": " + e.getMessage());
            } catch (IllegalArgumentException e) {
                throw failure(ErrorClass.INVALID_REQUEST, mount.target() + " from " + mount.uri() + ": "
                        + e.getMessage());
            } catch (CloudCallException e) {
                throw e;
            } catch (RuntimeException e) {
                throw new CloudCallException(cloud.classify(e), e);
            }
        }
        return staged;
    }

    private StagedMount bucket(FileMount mount, Store store) {
        String prefix = mount.uri().endsWith("/") ? mount.uri() : mount.uri() + "/";
        List<StoredObject> objects = store.list(prefix, config.stagingMaxBucketObjects()).stream()
                .filter(o -> !o.uri().endsWith("/")).toList();
        List<String> paths = new ArrayList<>();
        for (StoredObject object : objects) paths.add(relativePath(prefix, object.uri()));
        List<SignedRequest> gets = objects.isEmpty() ? List.of()
                : store.signGets(objects.stream().map(StoredObject::uri).toList());
        List<StagedMount.StagedObject> staged = new ArrayList<>();
        for (int i = 0; i < objects.size(); i++) staged.add(new StagedMount.StagedObject(paths.get(i), gets.get(i)));
        return new StagedMount(mount, staged);
    }

    /** The object's path under the mount, refused when it would leave it ({@code ..}, an absolute path). */
    static String relativePath(String prefix, String objectUri) {
        String path = objectUri.substring(prefix.length());
        for (String part : path.split("/", -1)) {
            if (part.isEmpty() || part.equals(".") || part.equals("..")) {
                throw new IllegalArgumentException("the object '" + objectUri + "' has a key that would be written "
                        + "outside the mount's folder (an empty, '.' or '..' part)");
            }
        }
        return path;
    }

    /** The store that signs for {@code uri}: this provisioner for its own cloud, else that cloud's provisioner. */
    private Store storeOf(String uri) {
        String owner = StorageUris.cloudOf(uri).orElseThrow(() -> failure(ErrorClass.INVALID_REQUEST,
                "'" + uri + "' is not an object-storage URI of aws, gcp or azure"));
        if (owner.equals(cloud.cloud()) && cloud.ownsStorageUri(uri)) return new LocalStore();
        String peer = config.peers().get(owner);
        if (peer == null || peer.isBlank()) {
            throw failure(ErrorClass.INVALID_REQUEST, "'" + uri + "' is on " + owner + ", and this provisioner knows "
                    + "no provisioner of " + owner + " to sign for it: set crossjobs.provisioner.peers." + owner);
        }
        if (secretsKey.isEmpty()) {
            throw failure(ErrorClass.INVALID_REQUEST, "staging '" + uri + "' from " + owner + " needs "
                    + "crossjobs.secrets.key, which signs the request to its provisioner");
        }
        return new PeerStore(peers.computeIfAbsent(owner, cloudName -> new StoreClient(URI.create(peer),
                new InternalAuth(secretsKey.get(), Clock.systemUTC()), SecretSealer.fromBase64Key(secretsKey.get()))));
    }

    private Duration validity() {
        return config.stagingFetchValidity();
    }

    private CloudCallException failure(ErrorClass errorClass, String message) {
        return new CloudCallException(new CloudError(errorClass, BlockScope.CLOUD, "StagingFailed",
                "staging " + message), null);
    }

    private interface Store {
        List<SignedRequest> signGets(List<String> uris);

        List<StoredObject> list(String prefix, int max);
    }

    private final class LocalStore implements Store {
        @Override
        public List<SignedRequest> signGets(List<String> uris) {
            return uris.stream().map(uri -> cloud.sign("GET", uri, validity())).toList();
        }

        @Override
        public List<StoredObject> list(String prefix, int max) {
            return cloud.listObjects(prefix, max);
        }
    }

    private final class PeerStore implements Store {
        private final StoreClient client;

        PeerStore(StoreClient client) {
            this.client = client;
        }

        @Override
        public List<SignedRequest> signGets(List<String> uris) {
            return client.sign("GET", uris, validity());
        }

        @Override
        public List<StoredObject> list(String prefix, int max) {
            return client.list(prefix, max);
        }
    }
}

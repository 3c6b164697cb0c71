package io.crossjobs.jobapi.archive;

import io.crossjobs.events.InternalAuth;
import io.crossjobs.events.SecretSealer;
import io.crossjobs.events.SignedRequest;
import io.crossjobs.events.StorageUris;
import io.crossjobs.events.StoreClient;
import io.crossjobs.jobapi.config.ControllerSettings;
import io.crossjobs.jobapi.config.SecretsConfig;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Where uploads live: {@code jobs.bucket} when set (SkyPilot's setting: {@code s3://...}, {@code gs://...} or
 * {@code https://<account>.blob.core.windows.net/<container>}, a folder of it allowed), else the store crossjobs makes
 * on the controller's configured cloud on first use. job-api holds no cloud credential: the provisioner of the
 * store's cloud makes the store and signs each PUT and DELETE, which job-api then sends itself. Blocking: call it on a
 * worker thread.
 */
@ApplicationScoped
public class ArchiveStore {
    /** Uploads live under this folder of the store, named by their digest's hex. */
    public static final String FOLDER = "crossjobs-archives/";
    private static final Duration DELETE_VALIDITY = Duration.ofMinutes(5);

    private final ArchiveConfig config;
    private final Optional<String> jobsBucket;
    private final String controllerCloud;
    private final Optional<String> secretsKey;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private final AtomicReference<String> madeStore = new AtomicReference<>();
    /** One client (and HTTP connection pool) per provisioner, not one per request. */
    private final Map<String, StoreClient> clients = new ConcurrentHashMap<>();

    public ArchiveStore(ArchiveConfig config, @ConfigProperty(name = "jobs.bucket") Optional<String> jobsBucket,
                        ControllerSettings controller, SecretsConfig secrets) {
        this.config = config;
        this.jobsBucket = jobsBucket.filter(b -> !b.isBlank());
        this.controllerCloud = controller.resources().cloud();
        this.secretsKey = secrets.key().filter(k -> !k.isBlank());
    }

    /** The store's URI, without a trailing slash; makes crossjobs' own store on first use. */
    public String storeUri() {
        if (jobsBucket.isPresent()) {
            String bucket = jobsBucket.get().replaceAll("/+$", "");
            if (StorageUris.cloudOf(bucket).isEmpty()) {
                throw new StoreUnavailableException("jobs.bucket '" + jobsBucket.get() + "' is not s3://..., gs://... "
                        + "or https://<account>.blob.core.windows.net/<container>");
            }
            return bucket;
        }
        String made = madeStore.get();
        if (made != null) return made;
        made = call(controllerCloud, client -> client.ensureStore());
        madeStore.set(made);
        return made;
    }

    /** The object an upload of {@code digest} is stored as. */
    public String objectUriOf(String digest) {
        return storeUri() + "/" + FOLDER + digest.substring(digest.indexOf(':') + 1);
    }

    /** Stores {@code file} (the upload's bytes) as {@code objectUri} with a PUT the store's provisioner signed. */
    public void put(String objectUri, Path file) {
        SignedRequest put = call(cloudOf(objectUri), client -> client.sign("PUT", List.of(objectUri),
                config.uploadValidity()).get(0));
        try {
            send(put, HttpRequest.BodyPublishers.ofFile(file));
        } catch (IOException e) {
            throw new StoreUnavailableException("reading the upload failed: " + e.getMessage());
        }
    }

    /** Deletes {@code objectUri}; one already gone is fine. */
    public void delete(String objectUri) {
        SignedRequest delete = call(cloudOf(objectUri), client -> client.sign("DELETE", List.of(objectUri),
                DELETE_VALIDITY).get(0));
        send(delete, HttpRequest.BodyPublishers.noBody());
    }

    /** Deletes crossjobs' own store on {@code cloud} and everything in it; returns how many objects went. */
    public int removeStore(String cloud) {
        int deleted = call(cloud, StoreClient::deleteStore);
        if (cloud.equals(controllerCloud)) madeStore.set(null);
        return deleted;
    }

    private void send(SignedRequest request, HttpRequest.BodyPublisher body) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(request.url())).timeout(Duration.ofMinutes(30))
                .method(request.method(), body);
        request.headers().forEach(b::header);
        try {
            HttpResponse<String> answer = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
            boolean gone = request.method().equals("DELETE") && answer.statusCode() == 404;
            if (answer.statusCode() / 100 != 2 && !gone) {
                throw new StoreUnavailableException("the store answered " + request.method() + " with "
                        + answer.statusCode() + ": " + abbreviate(answer.body()));
            }
        } catch (IOException e) {
            throw new StoreUnavailableException("the store did not answer " + request.method() + ": " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreUnavailableException("interrupted while sending " + request.method() + " to the store");
        }
    }

    private static String cloudOf(String uri) {
        return StorageUris.cloudOf(uri).orElseThrow(() -> new StoreUnavailableException("'" + uri
                + "' is not an object-storage URI"));
    }

    private <T> T call(String cloud, java.util.function.Function<StoreClient, T> action) {
        String base = config.provisioners().get(cloud);
        if (base == null || base.isBlank()) {
            throw new StoreUnavailableException("the store is on " + cloud + " and job-api knows no provisioner of "
                    + cloud + ": set jobapi.archives.provisioners." + cloud);
        }
        if (secretsKey.isEmpty()) {
            throw new StoreUnavailableException("crossjobs.secrets.key is not set: job-api signs its requests to the "
                    + "store's provisioner with it");
        }
        StoreClient client = clients.computeIfAbsent(cloud, c -> new StoreClient(URI.create(base),
                new InternalAuth(secretsKey.get(), Clock.systemUTC()), SecretSealer.fromBase64Key(secretsKey.get())));
        try {
            return action.apply(client);
        } catch (StoreClient.StoreException e) {
            throw new StoreUnavailableException("the provisioner of " + cloud + " answered " + e.status() + ": "
                    + abbreviate(e.getMessage()));
        }
    }

    private static String abbreviate(String text) {
        if (text == null) return "";
        return text.length() > 300 ? text.substring(0, 300) + "..." : text;
    }

    /** The store cannot be reached or refused a request: 503 to the caller, who may try again. */
    public static final class StoreUnavailableException extends RuntimeException {
        public StoreUnavailableException(String message) {
            super(message);
        }
    }
}

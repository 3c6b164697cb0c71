package io.crossjobs.provisioner.azure.service;

import com.azure.core.util.Context;
import com.azure.storage.blob.BlobClient;
import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.models.BlobErrorCode;
import com.azure.storage.blob.models.BlobItem;
import com.azure.storage.blob.models.BlobStorageException;
import com.azure.storage.blob.models.ListBlobsOptions;
import com.azure.storage.blob.sas.BlobSasPermission;
import com.azure.storage.blob.sas.BlobServiceSasSignatureValues;
import io.crossjobs.events.SignedRequest;
import io.crossjobs.events.StorageUris;
import io.crossjobs.events.StoredObject;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * crossjobs' object store on Azure Blob Storage, in the configured storage account (the only one whose key this
 * provisioner holds): its own container ({@code storage.store-container}) for uploaded workdirs and files, and any
 * container of the account a job names, reached through service SASes on single blobs. URIs are in the form users
 * write ({@code https://<account>.blob.core.windows.net/<container>/<blob>}, the blob name taken literally); the
 * requests go where the account's endpoint is (mock-cloud's path-style address when overridden).
 */
final class AzureObjectStore {
    private static final Logger LOG = Logger.getLogger(AzureObjectStore.class);
    /** List Blobs' largest page (learn.microsoft.com/rest/api/storageservices/list-blobs, maxresults). */
    static final int MAX_PAGE = 5000;
    /**
     * How long {@link #ensureStore} waits for a store that is being deleted: Azure takes a deleted container's name
     * for at least 30 seconds (409 ContainerBeingDeleted, learn.microsoft.com/rest/api/storageservices/delete-container).
     * Shorter than the 30 s a store client waits for an answer, so that it hears the refusal rather than a timeout.
     */
    private static final Duration BEING_DELETED_WAIT = Duration.ofSeconds(20);
    private static final Duration BEING_DELETED_POLL = Duration.ofSeconds(1);

    private final BlobAccount account;
    private final String storeContainer;
    private final Duration timeout;
    private final int pageSize;

    AzureObjectStore(BlobAccount account, String storeContainer, Duration timeout) {
        this(account, storeContainer, timeout, MAX_PAGE);
    }

    /** @param pageSize List Blobs' {@code maxresults} at most (tests page through small listings with it) */
    AzureObjectStore(BlobAccount account, String storeContainer, Duration timeout, int pageSize) {
        this.account = account;
        this.storeContainer = storeContainer;
        this.timeout = timeout;
        this.pageSize = Math.min(pageSize, MAX_PAGE);
    }

    /** A blob URI of the configured account; another account's is not ours (its key is not held here). */
    boolean owns(String uri) {
        return location(uri).isPresent();
    }

    /**
     * Create Container of the store, 409 ContainerAlreadyExists being "made already" (so a concurrent second call
     * is fine). Not the SDK's createIfNotExists: it takes every 409 for "exists", ContainerBeingDeleted too.
     */
    String ensureStore() {
        BlobContainerClient container = account.container(storeContainer);
        long deadline = System.nanoTime() + BEING_DELETED_WAIT.toNanos();
        while (true) {
            try {
                container.createWithResponse(null, null, timeout, Context.NONE);
                LOG.infof("cloud=azure made the store container %s", storeContainer);
                return storeUri();
            } catch (BlobStorageException e) {
                if (BlobErrorCode.CONTAINER_ALREADY_EXISTS.equals(e.getErrorCode())) return storeUri();
                boolean beingDeleted = BlobErrorCode.CONTAINER_BEING_DELETED.equals(e.getErrorCode());
                if (!beingDeleted || System.nanoTime() > deadline) throw e;
            }
            pause();
        }
    }

    /**
     * A service SAS on the one blob ({@code sr=b}): {@code r} for GET, {@code c} and {@code w} for PUT (create, or
     * replace what is there), {@code d} for DELETE; https only on Azure. The request carries {@code x-ms-version} =
     * the SAS's {@code sv}, and a PUT {@code x-ms-blob-type: BlockBlob} (Put Blob requires it): one Put Blob takes
     * up to 5,000 MiB from version 2019-12-12 on (learn.microsoft.com/rest/api/storageservices/put-blob).
     */
    SignedRequest sign(String method, String objectUri, Duration validity) {
        StorageUris.Location at = location(objectUri).orElseThrow(() -> notOurs(objectUri));
        if (at.key().isEmpty() || at.key().endsWith("/")) {
            throw new IllegalArgumentException("'" + objectUri + "' names no blob");
        }
        BlobClient blob = account.container(containerOf(at)).getBlobClient(at.key());
        BlobSasPermission permission = switch (method) {
            case "GET" -> new BlobSasPermission().setReadPermission(true);
            case "PUT" -> new BlobSasPermission().setCreatePermission(true).setWritePermission(true);
            case "DELETE" -> new BlobSasPermission().setDeletePermission(true);
            default -> throw new IllegalArgumentException("cannot sign " + method + ": GET, PUT or DELETE");
        };
        String sas = blob.generateSas(new BlobServiceSasSignatureValues(OffsetDateTime.now().plus(validity), permission)
                .setProtocol(account.sasProtocol()));
        String version = BlobAccount.signedVersion(sas);
        Map<String, String> headers = method.equals("PUT")
                ? Map.of("x-ms-blob-type", "BlockBlob", "x-ms-version", version) : Map.of("x-ms-version", version);
        return new SignedRequest(method, blob.getBlobUrl() + "?" + sas, headers);
    }

    /**
     * List Blobs of the container by the URI's prefix, flat, following NextMarker page by page; refused once more
     * than {@code max} blobs have been seen (a page then asks for no more than {@code max + 1}).
     */
    List<StoredObject> list(String prefixUri, int max) {
        StorageUris.Location at = location(prefixUri).orElseThrow(() -> notOurs(prefixUri));
        ListBlobsOptions options = new ListBlobsOptions().setPrefix(at.key().isEmpty() ? null : at.key())
                .setMaxResultsPerPage((int) Math.min(pageSize, (long) max + 1));
        List<StoredObject> objects = new ArrayList<>();
        try {
            for (BlobItem item : account.container(containerOf(at)).listBlobs(options, timeout)) {
                if (objects.size() == max) {
                    throw new IllegalArgumentException("'" + prefixUri + "' holds more than " + max
                            + " objects, the most one listing takes here");
                }
                objects.add(new StoredObject(at.uriOf(item.getName()), item.getProperties().getContentLength()));
            }
        } catch (BlobStorageException e) {
            if (BlobErrorCode.CONTAINER_NOT_FOUND.equals(e.getErrorCode())) {
                throw new IllegalArgumentException("the container of '" + prefixUri + "' does not exist");
            }
            throw e;
        }
        return objects;
    }

    /**
     * Counts the store's blobs (List Blobs), then Delete Container, which takes the blobs with it; a store that is
     * gone, or being deleted, is fine. A blob written between the two is deleted but not counted.
     */
    int deleteStore() {
        BlobContainerClient container = account.container(storeContainer);
        int blobs = 0;
        try {
            for (BlobItem ignored : container.listBlobs(new ListBlobsOptions().setMaxResultsPerPage(pageSize),
                    timeout)) {
                blobs++;
            }
            container.deleteWithResponse(null, timeout, Context.NONE);
        } catch (BlobStorageException e) {
            if (BlobErrorCode.CONTAINER_NOT_FOUND.equals(e.getErrorCode())) return 0;
            throw e;
        }
        LOG.infof("cloud=azure deleted the store container %s with its %d blob(s)", storeContainer, blobs);
        return blobs;
    }

    String storeUri() {
        return "https://" + account.name() + ".blob.core.windows.net/" + storeContainer;
    }

    private Optional<StorageUris.Location> location(String uri) {
        return StorageUris.parse(uri)
                .filter(l -> l.cloud().equals("azure") && l.bucket().startsWith(account.name() + "/"));
    }

    private static String containerOf(StorageUris.Location at) {
        return at.bucket().substring(at.bucket().indexOf('/') + 1);
    }

    private IllegalArgumentException notOurs(String uri) {
        return new IllegalArgumentException("'" + uri + "' is not a blob URI of the storage account " + account.name()
                + ", the only one this provisioner holds a key of");
    }

    private static void pause() {
        try {
            Thread.sleep(BEING_DELETED_POLL.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while the store container was being deleted", e);
        }
    }
}

package io.crossjobs.provisioner.azure.service;

import com.azure.core.util.BinaryData;
import com.azure.core.http.rest.Response;
import com.azure.core.util.Context;
import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.models.BlobErrorCode;
import com.azure.storage.blob.models.BlobHttpHeaders;
import com.azure.storage.blob.models.BlobItem;
import com.azure.storage.blob.models.BlobRange;
import com.azure.storage.blob.models.BlobStorageException;
import com.azure.storage.blob.models.ListBlobsOptions;
import com.azure.storage.blob.sas.BlobSasPermission;
import com.azure.storage.blob.sas.BlobServiceSasSignatureValues;
import com.azure.storage.blob.options.BlockBlobSimpleUploadOptions;
import com.azure.storage.blob.specialized.AppendBlobClient;
import com.azure.storage.blob.specialized.BlockBlobClient;
import io.crossjobs.events.DeploymentId;
import io.crossjobs.events.OutputShipping;
import io.crossjobs.events.SecretDelivery;
import io.crossjobs.provisioner.OutputObjects;
import io.crossjobs.provisioner.model.ClusterKey;
import io.crossjobs.provisioner.model.NodeOutput;
import org.jboss.logging.Logger;

import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Nodes' output in Azure Blob Storage: one append blob per node, {@code OutputObjects.prefix(deployment, cluster,
 * rank) + "output"} in the configured container of an existing account. The provisioner signs its own calls with the
 * account key (Shared Key) and gives each node a service SAS that may only add blocks to its own blob; it reads a
 * node's blob by byte range and deletes a finished cluster's blobs by prefix. A node's secrets wait beside its
 * append blob in a block blob that only a read-and-delete SAS reaches.
 */
final class AzureOutputStore {
    private static final Logger LOG = Logger.getLogger(AzureOutputStore.class);
    static final String BLOB_SUFFIX = "output";

    private final BlobAccount account;
    private final BlobContainerClient container;
    private final Duration timeout;
    private final DeploymentId deployment;
    private final AtomicBoolean containerMade = new AtomicBoolean();

    AzureOutputStore(BlobAccount account, String container, Duration timeout, DeploymentId deployment) {
        this.deployment = deployment;
        this.account = account;
        this.timeout = timeout;
        this.container = account.container(container);
    }

    String blobName(ClusterKey cluster, int rank) {
        return OutputObjects.prefix(deployment, cluster, rank) + BLOB_SUFFIX;
    }

    /**
     * Makes the node's append blob unless it exists (a replayed launch keeps what was shipped), the container on
     * first use, and returns the ship function with an add-only SAS valid for {@code validity}. The SAS allows
     * plain http only when the endpoint is http (mock-cloud); Azure's is https and the SAS says so.
     */
    OutputShipping shipping(ClusterKey cluster, int rank, Duration validity) {
        AppendBlobClient blob = appendBlob(cluster, rank);
        createIfMissing(blob);
        BlobServiceSasSignatureValues values = new BlobServiceSasSignatureValues(
                OffsetDateTime.now().plus(validity), new BlobSasPermission().setAddPermission(true))
                .setProtocol(account.sasProtocol());
        String sas = blob.generateSas(values);
        return new OutputShipping(ShipFunction.render(blob.getBlobUrl() + "?" + sas, BlobAccount.signedVersion(sas)));
    }

    /**
     * Stores a node's secrets as the block blob {@link OutputObjects#secretKey} (Put Blob, replacing what a replayed
     * launch stored) and returns the fetch function with a SAS that may read and delete that one blob for
     * {@code validity}.
     */
    SecretDelivery secrets(ClusterKey cluster, int rank, String content, Duration validity) {
        BlockBlobClient blob = container.getBlobClient(OutputObjects.secretKey(deployment, cluster, rank)).getBlockBlobClient();
        BlockBlobSimpleUploadOptions upload = new BlockBlobSimpleUploadOptions(BinaryData.fromString(content))
                .setHeaders(new BlobHttpHeaders().setContentType("text/plain; charset=utf-8"));
        inContainer(() -> blob.uploadWithResponse(upload, timeout, Context.NONE));
        BlobServiceSasSignatureValues values = new BlobServiceSasSignatureValues(OffsetDateTime.now().plus(validity),
                new BlobSasPermission().setReadPermission(true).setDeletePermission(true))
                .setProtocol(account.sasProtocol());
        String sas = blob.generateSas(values);
        return new SecretDelivery(FetchFunction.render(blob.getBlobUrl() + "?" + sas, BlobAccount.signedVersion(sas)));
    }

    /** Get Container Properties: whether the output container exists (false: it is made on first launch). */
    boolean containerExists() {
        return container.existsWithResponse(timeout, Context.NONE).getValue();
    }

    String containerName() {
        return container.getBlobContainerName();
    }

    String accountName() {
        return account.name();
    }

    /** The blob's bytes from {@code offset} on, at most {@link OutputObjects#MAX_READ_BYTES}; empty when none. */
    NodeOutput read(ClusterKey cluster, int rank, long offset) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            appendBlob(cluster, rank).downloadStreamWithResponse(out,
                    new BlobRange(offset, (long) OutputObjects.MAX_READ_BYTES), null, null, false, timeout,
                    Context.NONE);
        } catch (BlobStorageException e) {
            // 416: nothing past offset yet; a blob or container gone (deleted output) holds nothing either
            if (e.getStatusCode() == 416 || BlobErrorCode.BLOB_NOT_FOUND.equals(e.getErrorCode())
                    || BlobErrorCode.CONTAINER_NOT_FOUND.equals(e.getErrorCode())) {
                return NodeOutput.empty(offset);
            }
            throw e;
        }
        return new NodeOutput(offset, out.toByteArray());
    }

    /** Deletes every blob of the cluster's nodes; none is fine. */
    void delete(ClusterKey cluster) {
        int deleted = 0;
        try {
            for (BlobItem item : container.listBlobs(new ListBlobsOptions()
                    .setPrefix(OutputObjects.clusterPrefix(deployment, cluster)), timeout)) {
                if (container.getBlobClient(item.getName()).deleteIfExistsWithResponse(null, null, timeout,
                        Context.NONE).getValue()) {
                    deleted++;
                }
            }
        } catch (BlobStorageException e) {
            if (!BlobErrorCode.CONTAINER_NOT_FOUND.equals(e.getErrorCode())) throw e;
        }
        LOG.debugf("%s cloud=azure deleted %d output blob(s)", cluster, deleted);
    }

    private AppendBlobClient appendBlob(ClusterKey cluster, int rank) {
        return container.getBlobClient(blobName(cluster, rank)).getAppendBlobClient();
    }

    /**
     * If-None-Match: * (409 when the blob exists, which the SDK takes as "exists"). The container is made once per
     * process, and again when Azure no longer finds it.
     */
    private void createIfMissing(AppendBlobClient blob) {
        inContainer(() -> blob.createIfNotExistsWithResponse(null, timeout, Context.NONE));
    }

    /** Runs a write into the container, making the container first on first use, and again when Azure lost it. */
    private void inContainer(Runnable write) {
        if (!containerMade.get()) makeContainer();
        try {
            write.run();
        } catch (BlobStorageException e) {
            if (!BlobErrorCode.CONTAINER_NOT_FOUND.equals(e.getErrorCode())) throw e;
            makeContainer();
            write.run();
        }
    }

    private void makeContainer() {
        Response<Boolean> made = container.createIfNotExistsWithResponse(null, timeout, Context.NONE);
        if (made.getValue()) LOG.infof("cloud=azure made container %s", container.getBlobContainerName());
        containerMade.set(true);
    }
}

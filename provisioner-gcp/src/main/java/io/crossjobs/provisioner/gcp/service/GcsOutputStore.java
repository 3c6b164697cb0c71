package io.crossjobs.provisioner.gcp.service;

import com.google.api.gax.paging.Page;
import com.google.cloud.ReadChannel;
import com.google.cloud.storage.Blob;
import com.google.cloud.storage.BlobId;
import com.google.cloud.storage.BucketInfo;
import com.google.cloud.storage.BucketInfo.LifecycleRule;
import com.google.cloud.storage.BucketInfo.LifecycleRule.LifecycleAction;
import com.google.cloud.storage.BucketInfo.LifecycleRule.LifecycleCondition;
import com.google.cloud.storage.Storage;
import com.google.cloud.storage.StorageException;
import io.crossjobs.events.DeploymentId;
import io.crossjobs.events.OutputShipping;
import io.crossjobs.provisioner.OutputObjects;
import io.crossjobs.provisioner.gcp.config.GcpConfig;
import io.crossjobs.provisioner.model.CloudInstance;
import io.crossjobs.provisioner.model.ClusterKey;
import io.crossjobs.provisioner.model.NodeOutput;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Nodes' output in Cloud Storage, laid out by {@link OutputObjects}: one bucket per project (made on first use),
 * one object per shipped chunk, named by its offset under the node's prefix. Nodes post chunks with a signed V4
 * policy ({@link GcsUploadPolicy}); the provisioner lists and reads them back with the JSON API and deletes a
 * cluster's objects once it is done.
 */
@ApplicationScoped
public class GcsOutputStore {
    private static final Logger LOG = Logger.getLogger(GcsOutputStore.class);
    /** Chunks one read lists at most: a node that fell far behind is caught up over a few reads. */
    static final int LIST_PAGE = 200;

    private final GcsClients clients;
    private final GcpConfig config;
    private final DeploymentId deployment;
    private final Clock clock;
    private volatile boolean bucketReady;

    public GcsOutputStore(GcsClients clients, GcpConfig config, DeploymentId deployment) {
        this.deployment = deployment;
        this.clients = clients;
        this.config = config;
        this.clock = Clock.systemUTC();
    }

    /** The bucket: configured, else one named after the project (project ids are unique, so is the name). */
    public String bucket() {
        return config.outputBucket().orElse(config.project() + "-crossjobs-output");
    }

    /** Where node {@code rank}'s secrets wait in {@link #bucket()} ({@link OutputObjects#secretKey}). */
    public String secretKey(ClusterKey cluster, int rank) {
        return OutputObjects.secretKey(deployment, cluster, rank);
    }

    public OutputShipping shipping(ClusterKey cluster, int rank, Duration validity) {
        ensureBucket();
        GcsUploadPolicy.Form form = GcsUploadPolicy.sign(clients.xmlEndpoint(),
                bucket(), OutputObjects.prefix(deployment, cluster, rank), clients.signer().getAccount(), clock.instant(),
                validity, bytes -> clients.signer().sign(bytes));
        return GcsUploadPolicy.shipFunction(form);
    }

    /** The node's chunks from {@code offset} on, without a gap, at most {@link OutputObjects#MAX_READ_BYTES}. */
    public NodeOutput read(CloudInstance node, long offset) {
        String prefix = OutputObjects.prefix(deployment, node.cluster(), node.nodeRank());
        List<Storage.BlobListOption> options = new ArrayList<>(List.of(Storage.BlobListOption.prefix(prefix),
                Storage.BlobListOption.pageSize(LIST_PAGE)));
        String startAfter = OutputObjects.listStartAfter(prefix, offset);
        // startOffset is inclusive: the chunk named startAfter ends before offset, and toRead passes over it
        if (startAfter != null) options.add(Storage.BlobListOption.startOffset(startAfter));
        Page<Blob> page;
        try {
            page = clients.storage().list(bucket(), options.toArray(Storage.BlobListOption[]::new));
        } catch (StorageException e) {
            if (e.getCode() == 404) return NodeOutput.empty(offset);   // no bucket yet: nothing shipped
            throw e;
        }
        List<OutputObjects.Listed> listed = new ArrayList<>();
        Map<String, Long> generations = new HashMap<>();
        for (Blob b : page.getValues()) {
            listed.add(new OutputObjects.Listed(b.getName(), b.getSize()));
            generations.put(b.getName(), b.getGeneration());
        }
        List<OutputObjects.Range> ranges = OutputObjects.toRead(prefix, listed, offset, OutputObjects.MAX_READ_BYTES);
        if (ranges.isEmpty()) return NodeOutput.empty(offset);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (OutputObjects.Range r : ranges) {
            readRange(BlobId.of(bucket(), r.key(), generations.get(r.key())), r.from(), r.length(), out);
        }
        return new NodeOutput(offset, out.toByteArray());
    }

    /** Deletes every object the cluster's nodes shipped; none, or no bucket, is fine. */
    public void delete(ClusterKey cluster) {
        Storage storage = clients.storage();
        Page<Blob> page;
        try {
            page = storage.list(bucket(),
                    Storage.BlobListOption.prefix(OutputObjects.clusterPrefix(deployment, cluster)));
        } catch (StorageException e) {
            if (e.getCode() == 404) return;
            throw e;
        }
        int deleted = 0;
        for (Blob b : page.iterateAll()) {
            // false: gone meanwhile (a delete asked twice)
            if (storage.delete(BlobId.of(bucket(), b.getName()))) deleted++;
        }
        LOG.debugf("%s cloud=gcp deleted %d output objects from gs://%s", cluster, deleted, bucket());
    }

    private void readRange(BlobId blob, long from, long length, ByteArrayOutputStream out) {
        try (ReadChannel reader = clients.storage().reader(blob)) {
            reader.seek(from);
            reader.limit(from + length);
            ByteBuffer buf = ByteBuffer.allocate((int) Math.min(length, 256 * 1024));
            long left = length;
            while (left > 0) {
                buf.clear();
                if (buf.remaining() > left) buf.limit((int) left);
                int n = reader.read(buf);
                if (n < 0) throw new IOException(blob + " ended " + left + " bytes early");
                out.write(buf.array(), 0, n);
                left -= n;
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + blob, e);
        }
    }

    /**
     * Makes the bucket on first use: private ({@link GcsBuckets#privateBucket}), objects deleted by a lifecycle
     * rule after {@code output-retention-days} should a cluster's own deletion never come. A bucket that exists is
     * kept as it is.
     */
    void ensureBucket() {
        if (bucketReady) return;
        synchronized (this) {
            if (bucketReady) return;
            BucketInfo info = GcsBuckets.privateBucket(bucket(), config.outputBucketLocation())
                    .setLifecycleRules(List.of(new LifecycleRule(LifecycleAction.newDeleteAction(),
                            LifecycleCondition.newBuilder().setAge(config.outputRetentionDays()).build())))
                    .build();
            if (GcsBuckets.ensure(clients.storage(), info)) {
                LOG.infof("cloud=gcp made output bucket gs://%s in %s", bucket(), config.outputBucketLocation());
            }
            bucketReady = true;
        }
    }
}

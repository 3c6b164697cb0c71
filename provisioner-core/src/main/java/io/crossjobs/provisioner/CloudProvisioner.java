package io.crossjobs.provisioner;

import io.crossjobs.events.AccountChecked;
import io.crossjobs.events.CheckAspect;
import io.crossjobs.events.OutputShipping;
import io.crossjobs.events.SecretDelivery;
import io.crossjobs.events.SignedRequest;
import io.crossjobs.events.StoredObject;
import io.crossjobs.provisioner.model.CloudError;
import io.crossjobs.provisioner.model.CloudInstance;
import io.crossjobs.provisioner.model.ClusterKey;
import io.crossjobs.provisioner.model.NodeOutput;
import io.crossjobs.provisioner.model.LaunchSpec;

import java.time.Duration;
import java.util.List;

/**
 * The one contract every cloud adapter implements, as narrow as SkyPilot's {@code sky/provision}.
 * Methods block: adapters call their SDK synchronously and core runs them on worker threads. Failures are
 * the SDK's own exceptions; {@link #classify} turns them into the shared taxonomy.
 */
public interface CloudProvisioner {

    /** Short cloud name as used in topics and placements: "aws", "gcp", "azure". */
    String cloud();

    /**
     * Makes sure every rank of the cluster exists: finds the cluster's instances by tag and creates only the
     * missing ranks, passing the cloud's idempotency token derived from cluster and rank, so a replayed
     * command creates nothing new. Returns all instances of the cluster, in any state.
     */
    List<CloudInstance> launch(LaunchSpec spec);

    /**
     * Terminates every instance of the cluster, found by tag. A cluster that is already gone is fine.
     * Returns how many instances were still alive and asked to terminate.
     */
    int terminate(String region, ClusterKey cluster);

    /** Every instance managed by crossjobs in the region, for all jobs, in one (paginated) list call. */
    List<CloudInstance> listManaged(String region);

    /**
     * How node {@code rank} of {@code cluster} ships its output (job-events {@code OutputShipping}): the body of
     * {@code crossjobs_ship FILE OFFSET}, a pre-signed upload into this cloud's object storage, valid for
     * {@code validity}, of objects only this node's output uses (S3 and GCS: {@link OutputObjects#chunkKey} under
     * {@link OutputObjects#prefix}). No cloud credential may appear in it. Prepares what the upload needs first (the
     * bucket on first use, an append blob), idempotently: a replayed launch must not lose output already shipped.
     */
    OutputShipping outputShipping(ClusterKey cluster, String region, int rank, Duration validity);

    /**
     * The output {@code node} has shipped, from byte {@code offset} on, at most {@link OutputObjects#MAX_READ_BYTES};
     * empty when nothing new is stored yet.
     */
    NodeOutput readOutput(CloudInstance node, long offset);

    /** Deletes everything the nodes of {@code cluster} shipped, secrets not fetched yet included; a cluster that shipped nothing is fine. */
    void deleteOutput(ClusterKey cluster);

    /**
     * Stores {@code content}, the secrets of node {@code rank} of {@code cluster}, where only requests this method
     * pre-signs reach them (S3 and GCS: the object {@link OutputObjects#secretKey}; Azure: a blob of that name beside
     * the node's append blob), and returns job-events' {@code SecretDelivery}: the body of
     * {@code crossjobs_fetch_secrets FILE}, which downloads them with a pre-signed GET and then deletes them with a
     * pre-signed DELETE, both valid for {@code validity}. No cloud credential may appear in it, and it must not print
     * its requests (they are shipped with the output). Idempotent: a replayed launch stores the same content again.
     */
    SecretDelivery secretDelivery(ClusterKey cluster, String region, int rank, String content, Duration validity);

    /**
     * Whether {@code uri} names a bucket, prefix or object of this cloud's object storage, in the form users write:
     * {@code s3://bucket/key}, {@code gs://bucket/key}, {@code https://<account>.blob.core.windows.net/<container>/key}.
     */
    boolean ownsStorageUri(String uri);

    /**
     * crossjobs' own store in this cloud's object storage, where uploaded workdirs and files live when
     * {@code jobs.bucket} names none: made on first use (idempotently, a second call finds it), in the form of
     * {@link #ownsStorageUri}, without a trailing slash ({@code s3://bucket}, {@code https://acct.blob.core.windows.net/c}).
     */
    String ensureStore();

    /**
     * A pre-signed {@code method} (GET, PUT or DELETE) of the object {@code objectUri} of this cloud, valid for
     * {@code validity}: whoever holds it may send that one request with no credential. An {@link IllegalArgumentException}
     * for a URI this provisioner cannot sign (another cloud's, an Azure account it holds no key of).
     */
    SignedRequest sign(String method, String objectUri, Duration validity);

    /**
     * Every object under the prefix {@code prefixUri} (a bucket, or a folder of it), following the cloud's pages; an
     * {@link IllegalArgumentException} naming the limit when there are more than {@code max}.
     */
    List<StoredObject> listObjects(String prefixUri, int max);

    /**
     * Deletes crossjobs' own store ({@link #ensureStore}) and every object in it; a store that does not exist is fine.
     * Returns how many objects were deleted. Never touches a bucket crossjobs did not make.
     */
    int deleteStore();

    /**
     * What {@code crossjobs check} reports of this cloud's account for {@code regions}: one finding per
     * {@link CheckAspect} it looks at (credentials, permissions, regions, vCPU quotas, network, storage), each with
     * a fix when it is not ok. Reads only, never throws: a call that fails is a finding, named by the cloud's error.
     */
    List<AccountChecked.Finding> checkAccount(List<String> regions);

    /**
     * Writes {@code value} under {@link io.crossjobs.events.CloudTags#NODE_IPS} into the cloud metadata of each
     * of {@code nodes} (EC2 tag, GCE metadata item, Azure tag), replacing an older value; the other tags or
     * items stay as they are. Idempotent, so core may write the same value again after a restart.
     */
    void writeNodeIps(String region, List<CloudInstance> nodes, String value);

    /**
     * Bash commands, run on the node, that print the {@link io.crossjobs.events.CloudTags#NODE_IPS} value from
     * the node's own metadata service, and nothing while it is unset. They must use the cloud's real metadata
     * endpoint, or the base URL in {@code $MOCK_CLOUD_METADATA_URL} when that is set (mock-cloud's VMs).
     */
    String nodeIpsReadCommand();

    /** The taxonomy entry for an exception thrown by this adapter. */
    CloudError classify(Throwable error);
}

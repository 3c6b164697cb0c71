package io.crossjobs.provisioner.aws.output;

import io.crossjobs.events.OutputShipping;
import io.crossjobs.events.SecretDelivery;
import io.crossjobs.events.StartupScript;
import io.crossjobs.provisioner.OutputObjects;
import io.crossjobs.provisioner.aws.config.AwsConfig;
import io.crossjobs.provisioner.aws.service.AwsClients;
import io.crossjobs.provisioner.model.CloudInstance;
import io.crossjobs.provisioner.model.ClusterKey;
import io.crossjobs.provisioner.model.NodeOutput;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;
import software.amazon.awssdk.core.async.AsyncRequestBody;
import software.amazon.awssdk.core.async.AsyncResponseTransformer;
import software.amazon.awssdk.services.s3.model.BucketAlreadyOwnedByYouException;
import software.amazon.awssdk.services.s3.model.Delete;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;

/**
 * Nodes' output in one S3 bucket ({@code crossjobs.aws.output-bucket}), laid out as {@link OutputObjects} says. A
 * node uploads with a POST policy limited to its own prefix ({@link S3PostPolicy}); the provisioner lists and
 * reads with its own credentials, and deletes a cluster's objects once it has finished.
 */
@ApplicationScoped
public class S3OutputStore {
    private static final Logger LOG = Logger.getLogger(S3OutputStore.class);

    private final AwsClients clients;
    private final AwsConfig config;
    private final Clock clock = Clock.systemUTC();
    private volatile boolean bucketReady;

    public S3OutputStore(AwsClients clients, AwsConfig config) {
        this.clients = clients;
        this.config = config;
    }

    /** {@code crossjobs_ship FILE OFFSET}: a curl POST of the chunk as the object named by its offset. */
    public OutputShipping shipping(ClusterKey cluster, int rank, Duration validity) {
        ensureBucket();
        String prefix = OutputObjects.prefix(cluster, rank);
        Map<String, String> fields = S3PostPolicy.fields(new S3PostPolicy.Grant(config.outputBucket(),
                        config.outputRegion(), prefix, OutputShipping.MAX_CHUNK_BYTES, validity),
                clients.credentials().resolveCredentials(), clock.instant());
        StringBuilder ship = new StringBuilder("curl -sS -f --max-time 300 -o /dev/null --form-string ")
                .append(StartupScript.quote("key=" + prefix)).append("\"$(printf '")
                .append(OutputObjects.chunkKeyPrintf()).append("' \"$2\")\"");
        fields.forEach((name, value) -> ship.append(" --form-string ").append(StartupScript.quote(name + "=" + value)));
        // the file part must come last: S3 ignores fields after it
        ship.append(" -F file=@\"$1\" ").append(StartupScript.quote(uploadUrl()));
        return new OutputShipping(ship.toString());
    }

    /**
     * Stores node {@code rank}'s secrets as the object {@link OutputObjects#secretKey} (a replay stores them again)
     * and pre-signs one GET and one DELETE of exactly that key, valid for {@code validity} (7 days at most, SigV4's
     * longest). Under the cluster's prefix, so {@link #delete} removes them if the node never fetched them.
     */
    public SecretDelivery secretDelivery(ClusterKey cluster, int rank, String content, Duration validity) {
        ensureBucket();
        String key = OutputObjects.secretKey(cluster, rank);
        join(clients.s3().putObject(b -> b.bucket(config.outputBucket()).key(key).contentType("text/plain; charset=utf-8"),
                AsyncRequestBody.fromString(content, StandardCharsets.UTF_8)));
        Duration valid = validity.compareTo(S3PostPolicy.LONGEST) > 0 ? S3PostPolicy.LONGEST : validity;
        String get = clients.presigner().presignGetObject(p -> p.signatureDuration(valid)
                .getObjectRequest(g -> g.bucket(config.outputBucket()).key(key))).url().toString();
        String delete = clients.presigner().presignDeleteObject(p -> p.signatureDuration(valid)
                .deleteObjectRequest(d -> d.bucket(config.outputBucket()).key(key))).url().toString();
        return SecretFetch.of(get, delete);
    }

    public NodeOutput read(CloudInstance node, long offset) {
        String prefix = OutputObjects.prefix(node.cluster(), node.nodeRank());
        String startAfter = OutputObjects.listStartAfter(prefix, offset);
        ListObjectsV2Response page = join(clients.s3().listObjectsV2(b -> b.bucket(config.outputBucket())
                .prefix(prefix).startAfter(startAfter)));
        List<OutputObjects.Listed> listed = page.contents().stream()
                .map(o -> new OutputObjects.Listed(o.key(), o.size())).toList();
        List<OutputObjects.Range> ranges = OutputObjects.toRead(prefix, listed, offset, OutputObjects.MAX_READ_BYTES);
        if (ranges.isEmpty()) return NodeOutput.empty(offset);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        for (OutputObjects.Range r : ranges) {
            String range = "bytes=" + r.from() + "-" + (r.from() + r.length() - 1);
            bytes.writeBytes(join(clients.s3().getObject(b -> b.bucket(config.outputBucket()).key(r.key()).range(range),
                    AsyncResponseTransformer.toBytes())).asByteArray());
        }
        return new NodeOutput(offset, bytes.toByteArray());
    }

    public void delete(ClusterKey cluster) {
        String prefix = OutputObjects.clusterPrefix(cluster);
        String token = null;
        do {
            String continuation = token;
            ListObjectsV2Response page = join(clients.s3().listObjectsV2(b -> b.bucket(config.outputBucket())
                    .prefix(prefix).continuationToken(continuation)));
            List<ObjectIdentifier> keys = page.contents().stream().map(S3Object::key)
                    .map(k -> ObjectIdentifier.builder().key(k).build()).toList();
            if (!keys.isEmpty()) {
                join(clients.s3().deleteObjects(b -> b.bucket(config.outputBucket())
                        .delete(Delete.builder().objects(keys).quiet(true).build())));
            }
            token = Boolean.TRUE.equals(page.isTruncated()) ? page.nextContinuationToken() : null;
        } while (token != null);
    }

    /** Makes the bucket on first use; one this account already owns is fine. */
    private void ensureBucket() {
        if (bucketReady) return;
        synchronized (this) {
            if (bucketReady) return;
            String bucket = config.outputBucket();
            try {
                join(clients.s3().headBucket(b -> b.bucket(bucket)));
            } catch (S3Exception e) {
                if (e.statusCode() == 403) {
                    throw new IllegalStateException("the output bucket " + bucket + " belongs to another account or"
                            + " this one may not use it (403); set crossjobs.aws.output-bucket to a bucket of yours", e);
                }
                if (e.statusCode() != 404) throw e;
                create(bucket);
            }
            bucketReady = true;
        }
    }

    private void create(String bucket) {
        String region = config.outputRegion();
        try {
            // us-east-1 takes no location constraint; every other region needs its own
            join(clients.s3().createBucket(b -> {
                b.bucket(bucket);
                if (!region.equals("us-east-1")) b.createBucketConfiguration(c -> c.locationConstraint(region));
            }));
            LOG.infof("made the output bucket %s in %s", bucket, region);
        } catch (BucketAlreadyOwnedByYouException e) {
            // made meanwhile by another provisioner of this account
        }
    }

    /** Path-style on an endpoint override (mock-cloud), virtual-hosted on AWS. */
    private String uploadUrl() {
        return config.s3EndpointOverride()
                .map(e -> URI.create(e.toString().replaceAll("/+$", "") + "/" + config.outputBucket()).toString())
                .orElse("https://" + config.outputBucket() + ".s3." + config.outputRegion() + ".amazonaws.com/");
    }

    private static <T> T join(java.util.concurrent.CompletableFuture<T> call) {
        try {
            return call.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException r) throw r;
            throw e;
        }
    }
}

package io.crossjobs.provisioner.aws.output;

import io.crossjobs.events.DeploymentId;
import io.crossjobs.events.OutputShipping;
import io.crossjobs.events.SecretDelivery;
import io.crossjobs.events.StartupScript;
import io.crossjobs.provisioner.OutputObjects;
import io.crossjobs.provisioner.aws.config.AwsConfig;
import io.crossjobs.provisioner.aws.service.AwsClients;
import io.crossjobs.provisioner.aws.store.S3Buckets;
import io.crossjobs.provisioner.model.CloudInstance;
import io.crossjobs.provisioner.model.ClusterKey;
import io.crossjobs.provisioner.model.NodeOutput;
import jakarta.enterprise.context.ApplicationScoped;
import software.amazon.awssdk.core.async.AsyncRequestBody;
import software.amazon.awssdk.core.async.AsyncResponseTransformer;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static io.crossjobs.provisioner.aws.store.S3Buckets.join;

/**
 * Nodes' output in one S3 bucket ({@code crossjobs.aws.output-bucket}), laid out as {@link OutputObjects} says. A
 * node uploads with a POST policy limited to its own prefix ({@link S3PostPolicy}); the provisioner lists and
 * reads with its own credentials, and deletes a cluster's objects once it has finished.
 */
@ApplicationScoped
public class S3OutputStore {
    private final AwsClients clients;
    private final AwsConfig config;
    private final S3Buckets buckets;
    private final DeploymentId deployment;
    private final Clock clock = Clock.systemUTC();
    private volatile boolean bucketReady;

    public S3OutputStore(AwsClients clients, AwsConfig config, S3Buckets buckets, DeploymentId deployment) {
        this.deployment = deployment;
        this.clients = clients;
        this.config = config;
        this.buckets = buckets;
    }

    /** {@code crossjobs_ship FILE OFFSET}: a curl POST of the chunk as the object named by its offset. */
    public OutputShipping shipping(ClusterKey cluster, int rank, Duration validity) {
        ensureBucket();
        String prefix = OutputObjects.prefix(deployment, cluster, rank);
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
        String key = OutputObjects.secretKey(deployment, cluster, rank);
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
        String prefix = OutputObjects.prefix(deployment, node.cluster(), node.nodeRank());
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
        buckets.deleteAll(config.outputBucket(), config.outputRegion(),
                OutputObjects.clusterPrefix(deployment, cluster));
    }

    /** Makes the bucket on first use; one this account already owns is fine. */
    private void ensureBucket() {
        if (bucketReady) return;
        synchronized (this) {
            if (bucketReady) return;
            buckets.ensure(config.outputBucket(), config.outputRegion(), "crossjobs.aws.output-bucket");
            bucketReady = true;
        }
    }

    /** Path-style on an endpoint override (mock-cloud), virtual-hosted on AWS. */
    private String uploadUrl() {
        return config.s3EndpointOverride()
                .map(e -> URI.create(e.toString().replaceAll("/+$", "") + "/" + config.outputBucket()).toString())
                .orElse("https://" + config.outputBucket() + ".s3." + config.outputRegion() + ".amazonaws.com/");
    }
}

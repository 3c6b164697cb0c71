package io.crossjobs.provisioner.aws.store;

import io.crossjobs.events.SignedRequest;
import io.crossjobs.events.StorageUris;
import io.crossjobs.events.StoredObject;
import io.crossjobs.provisioner.aws.config.AwsConfig;
import io.crossjobs.provisioner.aws.service.AwsClients;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;
import software.amazon.awssdk.awscore.presigner.PresignedRequest;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import static io.crossjobs.provisioner.aws.store.S3Buckets.join;

/**
 * The object store on S3 (CloudProvisioner's store methods): crossjobs' own bucket {@code crossjobs.aws.store-bucket}
 * in {@code crossjobs.aws.output-region}, and any bucket the provisioner's credentials reach for file mounts. Objects
 * are reached through SigV4 pre-signed URLs (the SDK's presigner, signed for the bucket's own region), which point
 * at {@code s3-endpoint-override} when it is set; URIs stay {@code s3://bucket/key}.
 */
@ApplicationScoped
public class S3ObjectStore {
    private static final Logger LOG = Logger.getLogger(S3ObjectStore.class);
    static final String SETTING = "crossjobs.aws.store-bucket";
    /** SigV4 pre-signed URLs live 7 days at most (docs.aws.amazon.com/AmazonS3/latest/API/sigv4-query-string-auth.html). */
    static final Duration LONGEST = Duration.ofDays(7);
    /** Object keys are at most 1,024 bytes of UTF-8 (docs.aws.amazon.com/AmazonS3/latest/userguide/object-keys.html). */
    static final int MAX_KEY_BYTES = 1024;
    /** Tries at removing the store while objects keep arriving (an upload signed before the removal began). */
    private static final int REMOVAL_ROUNDS = 3;

    private final AwsClients clients;
    private final AwsConfig config;
    private final S3Buckets buckets;
    /** Bucket → region: a bucket keeps its region while it exists, and requests signed for another are refused. */
    private final Map<String, String> regions = new ConcurrentHashMap<>();

    public S3ObjectStore(AwsClients clients, AwsConfig config, S3Buckets buckets) {
        this.clients = clients;
        this.config = config;
        this.buckets = buckets;
    }

    public boolean owns(String uri) {
        return StorageUris.parse(uri).filter(l -> l.cloud().equals("aws")).isPresent();
    }

    /** Makes the store's bucket unless it exists; no cache, so a store removed meanwhile is made again. */
    public String ensure() {
        String bucket = config.storeBucket();
        buckets.ensure(bucket, config.outputRegion(), SETTING);
        regions.put(bucket, config.outputRegion());
        return "s3://" + bucket;
    }

    public SignedRequest sign(String method, String objectUri, Duration validity) {
        StorageUris.Location at = location(objectUri);
        String key = at.key();
        if (key.isEmpty()) throw new IllegalArgumentException("'" + objectUri + "' names a bucket, not an object");
        if (key.getBytes(StandardCharsets.UTF_8).length > MAX_KEY_BYTES) {
            throw new IllegalArgumentException("the key of '" + objectUri + "' is longer than S3's " + MAX_KEY_BYTES
                    + " bytes");
        }
        if (validity.isNegative() || validity.isZero() || validity.compareTo(LONGEST) > 0) {
            throw new IllegalArgumentException("an S3 pre-signed request is valid for 1 s to 7 days, not " + validity);
        }
        S3Presigner presigner = clients.presigner(region(at.bucket()));
        String bucket = at.bucket();
        PresignedRequest signed = switch (method) {
            case "GET" -> presigner.presignGetObject(p -> p.signatureDuration(validity)
                    .getObjectRequest(g -> g.bucket(bucket).key(key)));
            case "PUT" -> presigner.presignPutObject(p -> p.signatureDuration(validity)
                    .putObjectRequest(u -> u.bucket(bucket).key(key)));
            case "DELETE" -> presigner.presignDeleteObject(p -> p.signatureDuration(validity)
                    .deleteObjectRequest(d -> d.bucket(bucket).key(key)));
            default -> throw new IllegalArgumentException("S3 requests are signed for GET, PUT or DELETE, not "
                    + method);
        };
        return new SignedRequest(method, signed.url().toString(), headersToSend(signed.signedHeaders()));
    }

    /** The signed headers a sender must add: all but {@code host}, which every HTTP client sends by itself. */
    static Map<String, String> headersToSend(Map<String, List<String>> signedHeaders) {
        Map<String, String> headers = new LinkedHashMap<>();
        signedHeaders.forEach((name, values) -> {
            if (!name.equalsIgnoreCase("host")) headers.put(name, String.join(",", values));
        });
        return headers;
    }

    /**
     * Every object under the prefix, following ListObjectsV2's pages of 1,000. A folder marker (a key ending in
     * {@code /}, of 0 bytes, as the S3 console makes folders) is left out: it holds nothing to copy, and no file can
     * be named after it.
     */
    public List<StoredObject> list(String prefixUri, int max) {
        StorageUris.Location at = location(prefixUri);
        List<StoredObject> found = new ArrayList<>();
        buckets.walk(at.bucket(), region(at.bucket()), at.key(), page -> {
            for (S3Object o : page) {
                if (o.key().endsWith("/") && o.size() == 0) continue;
                if (found.size() == max) {
                    throw new IllegalArgumentException("'" + prefixUri + "' holds more than " + max
                            + " objects, the limit of one listing");
                }
                found.add(new StoredObject(at.uriOf(o.key()), o.size()));
            }
            return true;
        });
        return found;
    }

    /** Deletes the store's objects, then its bucket; a store that does not exist is fine. */
    public int remove() {
        String bucket = config.storeBucket();
        Optional<String> region = buckets.regionOf(bucket, config.outputRegion());
        if (region.isEmpty()) return 0;
        int deleted = 0;
        try {
            for (int round = 1; ; round++) {
                deleted += buckets.deleteAll(bucket, region.get(), "");
                try {
                    join(clients.s3(region.get()).deleteBucket(b -> b.bucket(bucket)));
                    break;
                } catch (S3Exception e) {
                    if (!"BucketNotEmpty".equals(S3Buckets.code(e)) || round == REMOVAL_ROUNDS) throw e;
                }
            }
        } catch (NoSuchBucketException e) {
            // removed meanwhile by another caller
        } finally {
            regions.remove(bucket);
        }
        LOG.infof("removed the store bucket %s (%d objects)", bucket, deleted);
        return deleted;
    }

    private StorageUris.Location location(String uri) {
        return StorageUris.parse(uri).filter(l -> l.cloud().equals("aws")).orElseThrow(() ->
                new IllegalArgumentException("'" + uri + "' is not an S3 URI (s3://bucket/key)"));
    }

    private String region(String bucket) {
        String known = regions.get(bucket);
        if (known != null) return known;
        String region = buckets.regionOf(bucket, config.outputRegion()).orElseThrow(() ->
                new IllegalArgumentException("there is no S3 bucket named " + bucket));
        regions.put(bucket, region);
        return region;
    }
}

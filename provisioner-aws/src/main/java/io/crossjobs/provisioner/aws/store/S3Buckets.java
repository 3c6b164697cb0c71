package io.crossjobs.provisioner.aws.store;

import io.crossjobs.provisioner.aws.service.AwsClients;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;
import software.amazon.awssdk.services.s3.model.BucketAlreadyOwnedByYouException;
import software.amazon.awssdk.services.s3.model.Delete;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * The bucket-level S3 calls of crossjobs' two buckets (the output bucket and the store) and of users' buckets: make
 * one on first use, find a bucket's region, walk a prefix page by page, delete a prefix's objects.
 */
@ApplicationScoped
public class S3Buckets {
    private static final Logger LOG = Logger.getLogger(S3Buckets.class);
    /** HeadBucket answers the bucket's region in this header, whatever the status (API reference, HeadBucket). */
    static final String REGION_HEADER = "x-amz-bucket-region";

    private final AwsClients clients;

    public S3Buckets(AwsClients clients) {
        this.clients = clients;
    }

    /**
     * Makes {@code bucket} in {@code region} unless this account has it already; a second caller racing this one
     * is fine. {@code setting} names the setting that chose the name, for the error when another account holds it.
     *
     * @return whether this call made the bucket
     */
    public boolean ensure(String bucket, String region, String setting) {
        try {
            join(clients.s3(region).headBucket(b -> b.bucket(bucket)));
            return false;
        } catch (S3Exception e) {
            if (e.statusCode() == 403) {
                throw new IllegalStateException("the bucket " + bucket + " belongs to another account or this one may"
                        + " not use it (403); set " + setting + " to a bucket of yours", e);
            }
            if (e.statusCode() != 404) throw e;
        }
        try {
            // us-east-1 takes no location constraint; every other region needs its own
            join(clients.s3(region).createBucket(b -> {
                b.bucket(bucket);
                if (!region.equals("us-east-1")) b.createBucketConfiguration(c -> c.locationConstraint(region));
            }));
            LOG.infof("made the bucket %s in %s", bucket, region);
            return true;
        } catch (BucketAlreadyOwnedByYouException e) {
            return false; // made meanwhile by another caller of this account
        } catch (S3Exception e) {
            if ("BucketAlreadyExists".equals(code(e))) {
                throw new IllegalStateException("the bucket name " + bucket + " is taken by another account (S3 "
                        + "bucket names are global); set " + setting + " to a name of yours", e);
            }
            throw e;
        }
    }

    /**
     * The region of {@code bucket}, asked of S3 with a HeadBucket signed for {@code guess}: S3 names the bucket's
     * region in every answer, an answer refusing a request signed for another region included (API reference,
     * HeadBucket). Empty when there is no such bucket.
     */
    public Optional<String> regionOf(String bucket, String guess) {
        try {
            return Optional.ofNullable(join(clients.s3(guess).headBucket(b -> b.bucket(bucket))).bucketRegion())
                    .filter(r -> !r.isEmpty()).or(() -> Optional.of(guess));
        } catch (NoSuchBucketException e) {
            return Optional.empty();
        } catch (S3Exception e) {
            if (e.statusCode() == 404) return Optional.empty();
            Optional<String> named = e.awsErrorDetails() == null || e.awsErrorDetails().sdkHttpResponse() == null
                    ? Optional.empty() : e.awsErrorDetails().sdkHttpResponse().firstMatchingHeader(REGION_HEADER);
            if (named.isPresent()) return named;
            throw e;
        }
    }

    /** Every object under {@code prefix}, one page (S3: 1,000 keys at most) at a time, while {@code page} wants more. */
    public void walk(String bucket, String region, String prefix, PageConsumer page) {
        String token = null;
        do {
            String continuation = token;
            ListObjectsV2Response listed = join(clients.s3(region).listObjectsV2(b -> b.bucket(bucket).prefix(prefix)
                    .continuationToken(continuation)));
            if (!page.accept(listed.contents())) return;
            token = Boolean.TRUE.equals(listed.isTruncated()) ? listed.nextContinuationToken() : null;
        } while (token != null);
    }

    /** Takes one page of a listing; false stops the walk. */
    @FunctionalInterface
    public interface PageConsumer {
        boolean accept(List<S3Object> objects);
    }

    /** Deletes every object under {@code prefix}, a page (at most DeleteObjects' 1,000 keys) at a time. */
    public int deleteAll(String bucket, String region, String prefix) {
        int[] deleted = {0};
        walk(bucket, region, prefix, objects -> {
            List<ObjectIdentifier> keys = objects.stream().map(S3Object::key)
                    .map(k -> ObjectIdentifier.builder().key(k).build()).toList();
            if (!keys.isEmpty()) {
                join(clients.s3(region).deleteObjects(b -> b.bucket(bucket)
                        .delete(Delete.builder().objects(keys).quiet(true).build())));
                deleted[0] += keys.size();
            }
            return true;
        });
        return deleted[0];
    }

    static String code(S3Exception e) {
        return e.awsErrorDetails() == null ? null : e.awsErrorDetails().errorCode();
    }

    /** The call's result, or the SDK's own exception it failed with (not wrapped in a CompletionException). */
    public static <T> T join(CompletableFuture<T> call) {
        try {
            return call.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException r) throw r;
            throw e;
        }
    }
}

package io.crossjobs.provisioner.gcp.service;

import com.google.cloud.storage.BucketInfo;
import com.google.cloud.storage.BucketInfo.PublicAccessPrevention;
import com.google.cloud.storage.Storage;
import com.google.cloud.storage.StorageException;
import io.crossjobs.events.CloudTags;

import java.util.Map;

/** How crossjobs makes its buckets (the output bucket, the object store): private, labelled, made once. */
final class GcsBuckets {

    private GcsBuckets() { }

    /**
     * A private bucket: uniform bucket-level access and public access prevention enforced, so only signed
     * requests and the provisioner's identity reach its objects; labelled {@code managed-by=crossjobs}, so
     * crossjobs can tell its own buckets from a user's.
     */
    static BucketInfo.Builder privateBucket(String name, String location) {
        return BucketInfo.newBuilder(name).setLocation(location)
                .setLabels(Map.of(CloudTags.MANAGED_BY, CloudTags.MANAGED_BY_VALUE))
                .setIamConfiguration(BucketInfo.IamConfiguration.newBuilder()
                        .setIsUniformBucketLevelAccessEnabled(true)
                        .setPublicAccessPrevention(PublicAccessPrevention.ENFORCED).build());
    }

    /** Whether crossjobs made {@code bucket} (its label says so). */
    static boolean madeByCrossjobs(com.google.cloud.storage.Bucket bucket) {
        return bucket.getLabels() != null
                && CloudTags.MANAGED_BY_VALUE.equals(bucket.getLabels().get(CloudTags.MANAGED_BY));
    }

    /**
     * Makes {@code info}'s bucket unless it exists (kept as it is then); true when this call made it. A concurrent
     * maker's 409 counts as made when the bucket can then be read (ours: another project's would answer 403).
     */
    static boolean ensure(Storage storage, BucketInfo info) {
        if (storage.get(info.getName()) != null) return false;
        try {
            storage.create(info);
            return true;
        } catch (StorageException e) {
            if (e.getCode() != 409 || storage.get(info.getName()) == null) throw e;
            return false;
        }
    }
}

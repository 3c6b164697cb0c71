package io.crossjobs.mockcloud.objects;

import java.time.Instant;

import io.crossjobs.mockcloud.sim.Cloud;

/**
 * A bucket (S3, GCS) or container (Azure Blob) in one cloud's namespace.
 *
 * @param location the region or location the bucket was created in, as the cloud names it
 */
public record Bucket(Cloud cloud, String name, String location, Instant created) { }

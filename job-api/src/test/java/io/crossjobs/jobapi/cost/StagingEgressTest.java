package io.crossjobs.jobapi.cost;

import io.crossjobs.catalog.EgressPrices;
import io.crossjobs.events.FileMount;
import io.crossjobs.events.JobStatus;
import io.crossjobs.events.TaskSpec;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The egress of staging, called directly: a jobs row and its pipeline in, the figures out. */
class StagingEgressTest {
    private static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");
    private static final StagingEgress EGRESS = new StagingEgress(
            EgressPrices.fromClasspath(EgressPrices.DEFAULT_RESOURCE));
    /** The catalog's first-tier internet egress prices (catalog/egress.csv). */
    private static final double AWS_PER_GB = 0.09;
    private static final double GCP_PER_GIB = 0.12;
    private static final long GB = 1_000_000_000L;
    private static final long GIB = 1L << 30;

    private static final FileMount WORKDIR_ON_S3 = new FileMount(FileMount.WORKDIR, FileMount.Source.ARCHIVE,
            "s3://crossjobs-store/archives/sha256-aa", GB);
    private static final FileMount FILE_ON_GCS = new FileMount("~/data.bin", FileMount.Source.FILE,
            "gs://crossjobs-store/archives/sha256-bb", GIB);
    private static final FileMount BUCKET_ON_AZURE = new FileMount("~/corpus", FileMount.Source.BUCKET,
            "https://acct.blob.core.windows.net/corpus/train", 0);
    private static final FileMount BUCKET_ON_S3 = new FileMount("~/more", FileMount.Source.BUCKET,
            "s3://their-bucket/more", 0);

    private static JobCostRow ran(String cloud, int taskIndex, int recoveries, int restarts) {
        return new JobCostRow(7L, "j", "alice", JobStatus.RUNNING, cloud, "r", "t", false, 0.1, 0.0, T0, T0,
                taskIndex, recoveries, restarts);
    }

    private static TaskSpec task(int nodes, FileMount... mounts) {
        return new TaskSpec("t", null, nodes, null, null, null, "echo", List.of(mounts));
    }

    @Test
    void eachNodeFetchesAMountFromAnotherCloudAtThatCloudsPriceAndSameCloudCountsNothing() {
        CostReport.Egress e = EGRESS.of(ran("gcp", 0, 0, 0), List.of(task(2, WORKDIR_ON_S3, FILE_ON_GCS)));

        assertEquals(1, e.launches());
        assertEquals(2 * GB, e.bytes(), "2 nodes × the 1 GB workdir from S3; the GCS file is same-cloud");
        assertEquals(2 * AWS_PER_GB, e.cost(), 1e-9, "priced by AWS, the cloud the bytes leave");
        assertEquals(0, e.unsizedBuckets());
    }

    @Test
    void theSourceCloudsPriceAndUnitApply() {
        CostReport.Egress e = EGRESS.of(ran("azure", 0, 0, 0), List.of(task(1, WORKDIR_ON_S3, FILE_ON_GCS)));

        assertEquals(GB + GIB, e.bytes());
        assertEquals(AWS_PER_GB + GCP_PER_GIB, e.cost(), 1e-9, "1 GB at AWS's $/GB, 1 GiB at GCP's $/GiB");
    }

    @Test
    void everyRecoveryAndRestartStagesAgain() {
        CostReport.Egress e = EGRESS.of(ran("gcp", 0, 2, 1), List.of(task(2, WORKDIR_ON_S3)));

        assertEquals(4, e.launches(), "the first launch, 2 recoveries, 1 restart");
        assertEquals(4 * 2 * GB, e.bytes());
        assertEquals(8 * AWS_PER_GB, e.cost(), 1e-9);
    }

    @Test
    void aPipelineStagesEachTaskItReachedWithItsOwnMountsAndNodes() {
        List<TaskSpec> pipeline = List.of(task(1, WORKDIR_ON_S3), task(3, FILE_ON_GCS), task(4, WORKDIR_ON_S3));

        CostReport.Egress e = EGRESS.of(ran("azure", 1, 1, 0), pipeline);

        assertEquals(3, e.launches(), "task 0 once; task 1, the current one, launched and recovered once");
        assertEquals(GB + 2 * 3 * GIB, e.bytes(), "task 2 has not run");
        assertEquals(AWS_PER_GB + 6 * GCP_PER_GIB, e.cost(), 1e-9);
    }

    @Test
    void aBucketFromAnotherCloudIsCountedAsUnsizedAndCostsNothingHere() {
        CostReport.Egress e = EGRESS.of(ran("aws", 0, 3, 0), List.of(task(8, BUCKET_ON_AZURE, BUCKET_ON_S3)));

        assertEquals(new CostReport.Egress(4, 0, 0, 1), e, "the S3 bucket is same-cloud; the Azure one unsized");
    }

    @Test
    void aJobThatNeverRanOrWhosePipelineIsUnknownStagedNothing() {
        JobCostRow pending = new JobCostRow(7L, "j", "alice", JobStatus.PENDING, "aws", "r", "t", false, 0.1, 0.0,
                T0, null, 0, 0, 0);
        assertEquals(StagingEgress.NONE, EGRESS.of(pending, List.of(task(1, FILE_ON_GCS))));
        assertEquals(StagingEgress.NONE, EGRESS.of(ran("aws", 0, 0, 0), List.of()));
        JobCostRow unplaced = new JobCostRow(7L, "j", "alice", JobStatus.FAILED, null, null, null, null, null, 0.0,
                T0, T0, 0, 0, 0);
        assertEquals(StagingEgress.NONE, EGRESS.of(unplaced, List.of(task(1, FILE_ON_GCS))));
    }

    @Test
    void aTaskIndexPastThePipelineCountsItsLastTask() {
        CostReport.Egress e = EGRESS.of(ran("aws", 5, 0, 0), List.of(task(1, FILE_ON_GCS)));

        assertEquals(1, e.launches());
        assertEquals(GIB, e.bytes());
    }
}

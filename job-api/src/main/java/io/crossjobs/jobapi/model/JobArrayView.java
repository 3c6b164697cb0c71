package io.crossjobs.jobapi.model;

/**
 * The array a job was submitted in ({@code POST /jobs?num_jobs=N}): the array's id (its rank-0 job's id), this
 * job's rank (0 to size - 1, its {@code SKYPILOT_JOB_RANK}) and the array's size ({@code SKYPILOT_NUM_JOBS}).
 */
public record JobArrayView(String id, int rank, int size) {

    /** Null for a job submitted alone. */
    public static JobArrayView of(Job job) {
        return job.arrayId == null ? null : new JobArrayView(String.valueOf(job.arrayId), job.arrayRank, job.arraySize);
    }
}

package io.crossjobs.jobapi.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;

@ConfigMapping(prefix = "jobapi")
public interface JobApiConfig {

    /** Largest submission body accepted (bytes); a larger one is answered 413. */
    @WithDefault("1048576")
    int maxBodySize();

    /** How often {@code GET /jobs/{id}/logs?follow=true} looks for new output. */
    @WithDefault("500ms")
    Duration logFollowInterval();

    /**
     * How long after a job's end {@code follow=true} still waits for output: a terminal status waits for the output
     * to be stored, but output the controller stopped waiting for, or a worker's lines after the head node exited,
     * can be stored after it.
     */
    @WithDefault("3s")
    Duration logSettleTime();

    /**
     * Most jobs stored in one transaction (a job array's count each; a larger array is a batch of its own).
     * Submissions that arrive while one batch is being written are stored together in the next, so this only bounds
     * a batch under heavy load; alone, a submission waits for none.
     */
    @WithDefault("500")
    int submitBatchSize();

    /** Most jobs one submission may make ({@code POST /jobs?num_jobs=N}). */
    @WithDefault("1000")
    int maxArraySize();

    /**
     * Most bytes of task text one array may store: every job of an array holds its own copy of the task, so
     * {@code num_jobs} times the body's size must stay under this.
     */
    @WithDefault("67108864")
    long maxArrayBytes();

    Retention retention();

    /** How long {@code crossjobs check} answers are kept; jobs, their history and logs are never purged. */
    interface Retention {
        /** A check is looked at once, right after it is asked. */
        @WithDefault("7d")
        Duration checks();
    }
}

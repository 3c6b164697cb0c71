package io.crossjobs.jobapi.archive;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;
import java.util.Map;

/** Uploaded workdirs and files ({@code PUT /archives/{digest}}) and the object store they live in. */
@ConfigMapping(prefix = "jobapi.archives")
public interface ArchiveConfig {

    /** The largest upload taken; a larger one is refused with 413 before it is stored. */
    @WithDefault("1073741824")
    long maxBytes();

    /**
     * How long an upload is kept after the last job that used it ended (or after it was last named by a submission,
     * whichever is later); then it is deleted from the store.
     */
    @WithDefault("7d")
    Duration retention();

    /** How long job-api's signed PUT into the store stays valid: long enough to send the largest upload. */
    @WithDefault("1h")
    Duration uploadValidity();

    /**
     * The provisioners by cloud → base URL of their internal store API (provisioner-core {@code StoreResource}): the
     * one of the store's cloud makes the store and signs job-api's uploads and deletes; job-api holds no cloud
     * credential.
     */
    Map<String, String> provisioners();
}

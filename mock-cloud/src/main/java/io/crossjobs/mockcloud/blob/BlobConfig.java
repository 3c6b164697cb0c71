package io.crossjobs.mockcloud.blob;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * {@code mock-cloud.blob.*}: the Azure Blob Storage front end's listener, its one storage account and the limits
 * it enforces (each relaxable; sources in the README's table).
 */
@ConfigMapping(prefix = "mock-cloud.blob")
public interface BlobConfig {

    /**
     * Plain-http port; 0 (the default) picks a free one, which {@code GET /mock/blob} tells. Any free port rather
     * than a fixed one (Azure's docs give 10000 for a local emulator) so that the mock-cloud processes of concurrent
     * test runs and stacks never collide.
     */
    @WithDefault("0")
    int port();

    /** Interface to listen on (0.0.0.0 in a container). */
    @WithDefault("127.0.0.1")
    String host();

    /** The storage account, addressed path-style: {@code http://host:port/<account>/<container>/<blob>}. */
    @WithDefault("crossjobsmock")
    String accountName();

    /**
     * The account key (base64, 64 bytes as Azure's): Shared Key requests and service SASes must be signed with
     * it. The default is a fixed test value, the local stack's {@code crossjobs.azure.storage.account-key}.
     */
    @WithDefault("Y3Jvc3Nqb2JzIG1vY2stY2xvdWQgYmxvYiBhY2NvdW50IGtleSwgYSB0ZXN0IHZhbHVlIG5vdCBhIHNlY3JldA==")
    String accountKey();

    /** Verify Shared Key signatures (false: only their shape, the account and the date are checked). */
    @WithDefault("true")
    boolean verifySharedKey();

    /** A Shared Key request's date may be at most this old (Azure: 15 minutes). */
    @WithDefault("15")
    int sharedKeyMaxAgeMinutes();

    /** Largest Append Block body for service versions before 2022-11-02: 4 MiB. */
    @WithDefault("4194304")
    long maxAppendBlockBytesBefore20221102();

    /** Largest Append Block body from service version 2022-11-02 on: 100 MiB. */
    @WithDefault("104857600")
    long maxAppendBlockBytes();

    /** Committed blocks an append blob holds at most: 50,000. */
    @WithDefault("50000")
    int maxBlocksPerAppendBlob();

    /**
     * How long a deleted container's name stays taken: Azure refuses to make a container of the same name for at
     * least 30 seconds after Delete Container (409 ContainerBeingDeleted) and answers 404 for everything else on it.
     */
    @WithDefault("30")
    int containerDeletionSeconds();
}

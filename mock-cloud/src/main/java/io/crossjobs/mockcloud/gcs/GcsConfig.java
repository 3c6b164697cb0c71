package io.crossjobs.mockcloud.gcs;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** {@code mock-cloud.gcs.*}: the Cloud Storage front end's listener, its service account and its strict limits. */
@ConfigMapping(prefix = "mock-cloud.gcs")
public interface GcsConfig {

    /** Plain-http port of the JSON API and the XML API's form POST; 0 picks a free one. */
    @WithDefault("8092")
    int port();

    /** Interface to listen on (0.0.0.0 in a container). */
    @WithDefault("127.0.0.1")
    String host();

    /**
     * The service account whose key mock-cloud makes at start (written as a JSON key file, see the README): the
     * only account whose V4 signatures verify.
     */
    @WithDefault("crossjobs-provisioner@mock-project.iam.gserviceaccount.com")
    String serviceAccount();

    /** The project the key file names. */
    @WithDefault("mock-project")
    String project();

    /** Longest validity of a V4 signature (a policy's expiration minus its x-goog-date), seconds: 7 days. */
    @WithDefault("604800")
    long maxSignatureValiditySeconds();

    /** How far ahead of the mock's clock a policy's x-goog-date may lie (a signer's clock running fast), seconds. */
    @WithDefault("900")
    long futureSkewSeconds();
}

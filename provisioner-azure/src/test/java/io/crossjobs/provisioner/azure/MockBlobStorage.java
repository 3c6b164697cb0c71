package io.crossjobs.provisioner.azure;

import io.crossjobs.testsupport.MockCloudProcess;

import java.util.Map;

/** The shared mock-cloud's storage account, and the provisioner's settings for it. */
final class MockBlobStorage {

    static MockCloudProcess.Blob shared() {
        return MockCloudProcess.shared().blob();
    }

    /** The provisioner's {@code crossjobs.azure.storage.*} settings for the shared account. */
    static Map<String, String> settings(String container) {
        MockCloudProcess.Blob blob = shared();
        return Map.of("crossjobs.azure.storage.endpoint-override", blob.endpoint(),
                "crossjobs.azure.storage.account", blob.account(),
                "crossjobs.azure.storage.account-key", blob.accountKey(),
                "crossjobs.azure.storage.container", container);
    }

    private MockBlobStorage() { }
}

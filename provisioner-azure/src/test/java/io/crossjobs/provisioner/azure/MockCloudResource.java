package io.crossjobs.provisioner.azure;

import io.crossjobs.testsupport.MockCloudProcess;
import io.crossjobs.testsupport.ProvisionerFlowContract;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.util.HashMap;
import java.util.Map;

/** Points the provisioner under test at the shared mock-cloud process's ARM and Blob Storage front ends. */
public class MockCloudResource implements QuarkusTestResourceLifecycleManager {
    static final String SUBSCRIPTION = "00000000-0000-0000-0000-0000000f1010";
    static final String RESOURCE_GROUP = "crossjobs-flow";

    @Override
    public Map<String, String> start() {
        MockCloudProcess mock = MockCloudProcess.shared();
        Map<String, String> settings = new HashMap<>(MockBlobStorage.settings("crossjobs-flow-output"));
        settings.putAll(Map.of(
                "crossjobs.azure.endpoint-override", mock.armEndpoint(),
                "crossjobs.azure.trust-certificate", mock.armCertificate(),
                "crossjobs.azure.subscription-id", SUBSCRIPTION,
                "crossjobs.azure.resource-group", RESOURCE_GROUP,
                "crossjobs.provisioner.regions", "eastus",
                // each injected fault surfaces on the first call instead of being absorbed by the SDK's retries
                "crossjobs.azure.sdk-max-retries", "0",
                "crossjobs.secrets.key", ProvisionerFlowContract.SECRETS_KEY));
        return settings;
    }

    @Override
    public void stop() {
        // the process lives as long as the test JVM: the adapter tests use it too
    }
}

package io.crossjobs.provisioner.gcp;

import io.crossjobs.testsupport.MockCloudProcess;
import io.crossjobs.testsupport.ProvisionerFlowContract;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.util.Map;

/** Points the provisioner under test at the shared mock-cloud process: Compute Engine and Cloud Storage. */
public class MockCloudResource implements QuarkusTestResourceLifecycleManager {

    @Override
    public Map<String, String> start() {
        MockCloudProcess.Gcs gcs = MockCloudProcess.shared().gcs();
        return Map.of(
                "crossjobs.gcp.endpoint-override", MockCloudProcess.shared().endpoint(),
                "crossjobs.gcp.storage-endpoint-override", gcs.endpoint(),
                "crossjobs.gcp.signing-credentials-file", gcs.keyFile(),
                "crossjobs.gcp.project", "flow-project",
                // each injected fault surfaces on the first call instead of being absorbed by the SDK's retries
                "crossjobs.gcp.sdk-max-attempts", "1",
                "crossjobs.secrets.key", ProvisionerFlowContract.SECRETS_KEY);
    }

    @Override
    public void stop() {
        // the process lives as long as the test JVM: the adapter tests use it too
    }
}

package io.crossjobs.provisioner.gcp;

import io.crossjobs.testsupport.MockCloudProcess;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.util.Map;

/** Points the provisioner under test at the shared mock-cloud process. */
public class MockCloudResource implements QuarkusTestResourceLifecycleManager {

    @Override
    public Map<String, String> start() {
        return Map.of(
                "crossjobs.gcp.endpoint-override", MockCloudProcess.shared().endpoint(),
                "crossjobs.gcp.project", "flow-project",
                // each injected fault surfaces on the first call instead of being absorbed by the SDK's retries
                "crossjobs.gcp.sdk-max-attempts", "1");
    }

    @Override
    public void stop() {
        // the process lives as long as the test JVM: the adapter tests use it too
    }
}

package io.crossjobs.provisioner.aws;

import io.crossjobs.testsupport.MockCloudProcess;
import io.crossjobs.testsupport.ProvisionerFlowContract;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.util.Map;

/** Points the provisioner under test at the shared mock-cloud process. */
public class MockCloudResource implements QuarkusTestResourceLifecycleManager {

    @Override
    public Map<String, String> start() {
        return Map.of(
                "crossjobs.aws.endpoint-override", MockCloudProcess.shared().endpoint(),
                "crossjobs.aws.s3-endpoint-override", MockCloudProcess.shared().s3Endpoint(),
                // mock-cloud's S3 checks pre-signed requests against its one key pair
                "crossjobs.aws.access-key-id", "mock",
                "crossjobs.aws.secret-access-key", "mock",
                // each injected fault surfaces on the first call instead of being absorbed by the SDK's retries
                "crossjobs.aws.sdk-max-attempts", "1",
                "crossjobs.secrets.key", ProvisionerFlowContract.SECRETS_KEY);
    }

    @Override
    public void stop() {
        // the process lives as long as the test JVM: the adapter tests use it too
    }
}

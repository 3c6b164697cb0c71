package io.crossjobs.provisioner.gcp;

import io.crossjobs.events.BlockScope;
import io.crossjobs.provisioner.CloudProvisioner;
import io.crossjobs.testsupport.KafkaResource;
import io.crossjobs.testsupport.ProvisionerFlowContract;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;

import java.util.List;

/** The provisioner contract's Kafka flows with the real Compute Engine client against mock-cloud. */
@QuarkusTest
@QuarkusTestResource(value = KafkaResource.class, restrictToAnnotatedClass = true)
@QuarkusTestResource(value = MockCloudResource.class, restrictToAnnotatedClass = true)
class ProvisionerGcpFlowTest extends ProvisionerFlowContract {

    @Inject
    CloudProvisioner provisioner;

    @Override
    protected CloudUnderTest cloudUnderTest() {
        return new CloudUnderTest("gcp", "us-central1", "us-central1-a", "e2-small", "ZONE_RESOURCE_POOL_EXHAUSTED", BlockScope.ZONE, "rateLimitExceeded");
    }

    @Override
    protected AccountFaults accountFaults() {
        return new AccountFaults("compute.instances.create", "CPUS", "network:default");
    }

    @Override
    protected List<ListedInstance> listManaged(String region) {
        return provisioner.listManaged(region).stream()
                .map(i -> new ListedInstance(i.instanceId(), i.jobId(), i.attempt(), i.clusterName())).toList();
    }
}

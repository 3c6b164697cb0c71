package io.crossjobs.provisioner.azure;

import io.crossjobs.events.BlockScope;
import io.crossjobs.provisioner.CloudProvisioner;
import io.crossjobs.testsupport.KafkaResource;
import io.crossjobs.testsupport.ProvisionerFlowContract;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;

import java.util.List;

/** The provisioner contract's Kafka flows with the real Azure SDK (ARM over HTTPS) against mock-cloud. */
@QuarkusTest
@QuarkusTestResource(value = KafkaResource.class, restrictToAnnotatedClass = true)
@QuarkusTestResource(value = MockCloudResource.class, restrictToAnnotatedClass = true)
class ProvisionerAzureFlowTest extends ProvisionerFlowContract {

    @Inject
    CloudProvisioner provisioner;

    @Override
    protected CloudUnderTest cloudUnderTest() {
        return new CloudUnderTest("azure", "eastus", "1", "Standard_D2s_v5", "AllocationFailed", BlockScope.REGION, "TooManyRequests");
    }

    @Override
    protected AccountFaults accountFaults() {
        return new AccountFaults("Microsoft.Compute/virtualMachines/write", "cores", "resource-group:" + MockCloudResource.RESOURCE_GROUP);
    }

    @Override
    protected List<ListedInstance> listManaged(String region) {
        return provisioner.listManaged(region).stream()
                .map(i -> new ListedInstance(i.instanceId(), i.jobId(), i.attempt(), i.clusterName())).toList();
    }
}

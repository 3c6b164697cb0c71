package io.crossjobs.provisioner.aws;

import io.crossjobs.events.BlockScope;
import io.crossjobs.provisioner.CloudProvisioner;
import io.crossjobs.testsupport.KafkaResource;
import io.crossjobs.testsupport.ProvisionerFlowContract;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;

import java.util.List;

/** The provisioner contract's Kafka flows with the real EC2 SDK against mock-cloud. */
@QuarkusTest
@QuarkusTestResource(value = KafkaResource.class, restrictToAnnotatedClass = true)
@QuarkusTestResource(value = MockCloudResource.class, restrictToAnnotatedClass = true)
class ProvisionerAwsFlowTest extends ProvisionerFlowContract {

    @Inject
    CloudProvisioner provisioner;

    @Override
    protected CloudUnderTest cloudUnderTest() {
        return new CloudUnderTest("aws", "us-east-1", "us-east-1a", "t3.micro", "InsufficientInstanceCapacity", BlockScope.ZONE, "RequestLimitExceeded");
    }

    @Override
    protected AccountFaults accountFaults() {
        return new AccountFaults("ec2:RunInstances", "L-1216C47A", "default-vpc:us-east-1");
    }

    @Override
    protected List<ListedInstance> listManaged(String region) {
        return provisioner.listManaged(region).stream()
                .map(i -> new ListedInstance(i.instanceId(), i.jobId(), i.attempt(), i.clusterName())).toList();
    }
}

package io.crossjobs.provisioner.aws;

import io.crossjobs.events.Placement;
import io.crossjobs.provisioner.aws.service.AwsClients;
import io.crossjobs.provisioner.aws.service.Ec2Provisioner;
import io.crossjobs.provisioner.aws.service.ImageResolver;
import io.crossjobs.provisioner.model.ClusterKey;
import io.crossjobs.provisioner.model.LaunchSpec;
import io.crossjobs.provisioner.service.CallPacer;
import io.crossjobs.testsupport.MockCloudProcess;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A burst of launches against mock-cloud's EC2, which enforces EC2's RunInstances bucket (5, refilled 2 a second):
 * the adapter's pacing spaces the calls just under it, so EC2 refuses none of them.
 */
class PacingTest {
    private static final String REGION = "us-west-2";

    private static MockCloudProcess mock;
    private static AwsClients clients;
    private static Ec2Provisioner ec2;

    @BeforeAll
    static void start() {
        mock = MockCloudProcess.shared();
        TestAwsConfig config = TestAwsConfig.at(mock.endpoint());
        clients = new AwsClients(config, new CallPacer());
        ec2 = new Ec2Provisioner(clients, new ImageResolver(clients, config), config);
    }

    @AfterAll
    static void stop() {
        clients.close();
    }

    @Test
    void aBurstOfLaunchesBeyondTheBucketIsSpacedAndNoneIsRefused() {
        mock.refillLimits();
        long start = System.nanoTime();
        for (int i = 0; i < 9; i++) {
            String job = "pace-" + UUID.randomUUID().toString().substring(0, 8);
            ec2.launch(new LaunchSpec(new ClusterKey(job, 1, "cj-" + job + "-1"),
                    new Placement("aws", REGION, null, "t3.micro", false, 0.01), List.of("#!/bin/bash\ntrue\n")));
        }
        double seconds = (System.nanoTime() - start) / 1e9;

        MockCloudProcess.ApiCalls run = mock.apiCalls("aws", "RunInstances");
        assertEquals(9, run.admitted());
        assertEquals(0, run.throttled(), "paced calls stay within EC2's bucket");
        assertTrue(seconds >= 2.5, "paced just under the bucket: 4 at once, then one every 0.56 s; took " + seconds
                + " s");
    }
}

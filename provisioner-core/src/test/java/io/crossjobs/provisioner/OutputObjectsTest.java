package io.crossjobs.provisioner;

import io.crossjobs.events.DeploymentId;
import io.crossjobs.provisioner.model.ClusterKey;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

class OutputObjectsTest {
    private static final ClusterKey CJ_7_1 = new ClusterKey("7", 1, "cj-7-1");

    @Test
    void theDefaultDeploymentsObjectsAreWhereClustersLaunchedBeforeDeploymentsShippedThem() {
        assertEquals("crossjobs-output/7/1/cj-7-1/0/", OutputObjects.prefix(DeploymentId.DEFAULT, CJ_7_1, 0));
        assertEquals("crossjobs-output/7/1/cj-7-1/secrets-0", OutputObjects.secretKey(DeploymentId.DEFAULT, CJ_7_1, 0));
    }

    @Test
    void anotherDeploymentsClusterOfTheSameNameIsApartInASharedBucket() {
        DeploymentId teamB = new DeploymentId("team-b");
        String ours = OutputObjects.clusterPrefix(DeploymentId.DEFAULT, CJ_7_1);
        String theirs = OutputObjects.clusterPrefix(teamB, CJ_7_1);

        assertEquals("crossjobs-output/deployment-team-b/7/1/cj-7-1/", theirs);
        assertEquals("crossjobs-output/deployment-team-b/7/1/cj-7-1/secrets-2", OutputObjects.secretKey(teamB, CJ_7_1, 2));
        assertFalse(theirs.startsWith(ours) || ours.startsWith(theirs), "deleting one cluster's output spares the other's");
    }
}

package io.crossjobs.provisioner.gcp;

import io.crossjobs.events.CloudTags;
import io.crossjobs.events.DeploymentId;
import io.crossjobs.provisioner.gcp.service.GceLabels;
import io.crossjobs.provisioner.model.ClusterKey;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** crossjobs' tags as GCE labels: lowercase, values {@code [a-z0-9_-]{0,63}}, names RFC 1035. */
class GceLabelsTest {
    private static final String LABEL_VALUE = "[a-z0-9_-]{0,63}";
    private static final String INSTANCE_NAME = "[a-z]([-a-z0-9]{0,61}[a-z0-9])?";

    @Test
    void aJobsClusterIsLabelledRoleJob() {
        Map<String, String> labels = GceLabels.of(DeploymentId.DEFAULT, new ClusterKey("42", 3, "cj-42-3"), 1);

        assertEquals(Map.of(CloudTags.MANAGED_BY, CloudTags.MANAGED_BY_VALUE, CloudTags.DEPLOYMENT, "default",
                CloudTags.JOB_ID, "42",
                CloudTags.ATTEMPT, "3", CloudTags.CLUSTER, "cj-42-3", CloudTags.NODE_RANK, "1",
                CloudTags.ROLE, "job"), labels);
        labels.values().forEach(v -> assertTrue(v.matches(LABEL_VALUE), v));
    }

    @Test
    void aControllersIdentityIsAValidLabelValueAsItIs() {
        ClusterKey controller = new ClusterKey("controller-1a2b3c4d", 1, "cj-controller-1a2b3c4d-1");

        Map<String, String> labels = GceLabels.of(DeploymentId.DEFAULT, controller, 0);

        assertEquals("controller", labels.get(CloudTags.ROLE));
        // unfolded, so filtering by the job-id label finds the controller's cluster by its exact identity
        assertEquals(controller.jobId(), labels.get(CloudTags.JOB_ID));
        assertEquals(controller.clusterName(), labels.get(CloudTags.CLUSTER));
        labels.values().forEach(v -> assertTrue(v.matches(LABEL_VALUE), v));
        String name = GceLabels.instanceName(DeploymentId.DEFAULT, controller, 0);
        assertTrue(name.startsWith("cj-controller-1a2b3c4d-1-") && name.matches(INSTANCE_NAME), name);
    }

    @Test
    void anotherDeploymentsClusterOfTheSameNameHasOtherNamesAndTokensAndTheDefaultsAreAsBefore() {
        ClusterKey key = new ClusterKey("42", 1, "cj-42-1");
        DeploymentId teamB = new DeploymentId("team-b");

        assertEquals("team-b", GceLabels.of(teamB, key, 0).get(CloudTags.DEPLOYMENT));
        String ours = GceLabels.instanceName(DeploymentId.DEFAULT, key, 0);
        String theirs = GceLabels.instanceName(teamB, key, 0);
        assertTrue(!ours.equals(theirs) && theirs.matches(INSTANCE_NAME), theirs);
        assertTrue(!GceLabels.requestId(DeploymentId.DEFAULT, key, 0, "us-central1-a")
                .equals(GceLabels.requestId(teamB, key, 0, "us-central1-a")));
        // the name instances of the default deployment had before deployments had ids: a replayed launch finds them
        assertEquals("cj-42-1-289c21c3-0", ours);
    }
}

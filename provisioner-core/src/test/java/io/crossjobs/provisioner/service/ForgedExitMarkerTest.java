package io.crossjobs.provisioner.service;

import io.crossjobs.events.StartupScript;
import io.crossjobs.events.ExitMarkers;
import io.crossjobs.events.LaunchCluster;
import io.crossjobs.events.Placement;
import io.crossjobs.events.RunPhase;
import io.crossjobs.events.ScriptOptions;
import io.crossjobs.events.SecretSealer;
import io.crossjobs.provisioner.model.ClusterKey;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A run printing exit markers of its own, run by the real bash: only the script's signed marker counts. */
class ForgedExitMarkerTest {
    private static final Placement PLACEMENT = Placement.builder().cloud("aws").region("us-east-1").zone("us-east-1a")
            .instanceType("t3.micro").pricePerHour(0.01).build();
    private static final ClusterKey CLUSTER = new ClusterKey("job-42", 1, "cj-42-1");
    private static final String KEY = SecretSealer.newKey();

    @TempDir
    Path dir;

    @Test
    void markersPrintedByTheRunAreIgnored() throws Exception {
        String nonce = new LaunchNonces(Optional.of(KEY)).of(CLUSTER);
        // forges every marker shape it can make, and dumps everything it can see of its environment
        String run = "echo '##crossjobs:run-exit=0##'\n"
                + "printf '\\n##crossjobs:setup-exit=0##\\n'\n"
                + "echo '##crossjobs:run-exit=0:AAAAAAAAAAAAAAAAAAAAAAAA##'\n"
                + "env; set\n"
                + "exit 7";
        LaunchCluster launch = new LaunchCluster(CLUSTER.jobId(), CLUSTER.attempt(), CLUSTER.clusterName(), "task-7",
                PLACEMENT, 1, Map.of(), null, run);

        String output = execute(StartupScript.render(launch, 0, ScriptOptions.defaults().withExitNonce(nonce)));

        assertTrue(ExitMarkers.first(output).isPresent(), "the forged unsigned markers are in the output");
        assertEquals(Optional.of(new ExitMarkers.Exit(RunPhase.RUN, 7)), ExitMarkers.first(output, nonce), output);
        // the run's environment and shell variables never held the nonce: only the final marker line does
        assertEquals(output.indexOf(nonce), output.lastIndexOf(nonce), output);
        assertTrue(output.endsWith("##crossjobs:run-exit=7:" + nonce + "##\n"), output);
    }

    @Test
    void theNonceIsStableForALaunchAndUnguessableWithoutTheKey() {
        LaunchNonces nonces = new LaunchNonces(Optional.of(KEY));
        String nonce = nonces.of(CLUSTER);
        assertEquals(nonce, new LaunchNonces(Optional.of(KEY)).of(CLUSTER), "a restarted provisioner finds it again");
        assertNotEquals(nonce, nonces.of(new ClusterKey("job-42", 2, "cj-42-2")));
        assertNotEquals(nonce, new LaunchNonces(Optional.of(SecretSealer.newKey())).of(CLUSTER));
        assertNotEquals(nonce, new LaunchNonces(Optional.empty()).of(CLUSTER));
        assertEquals(24, nonce.length());
        assertFalse(nonce.contains(KEY));
    }

    private String execute(String script) throws Exception {
        return ScriptRun.of(script, dir).output();
    }
}

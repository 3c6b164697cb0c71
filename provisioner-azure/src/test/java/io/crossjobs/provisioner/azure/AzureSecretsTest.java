package io.crossjobs.provisioner.azure;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.crossjobs.events.DeploymentId;
import io.crossjobs.events.SecretDelivery;
import io.crossjobs.provisioner.OutputObjects;
import io.crossjobs.provisioner.azure.config.AzureConfig;
import io.crossjobs.provisioner.azure.service.AzureClients;
import io.crossjobs.provisioner.azure.service.AzureProvisioner;
import io.crossjobs.provisioner.model.ClusterKey;
import io.crossjobs.provisioner.service.CallPacer;
import io.crossjobs.testsupport.MockCloudProcess;
import io.vertx.core.Vertx;

/**
 * A node's secrets through Blob Storage: the fetch function, run by bash with curl as the startup script runs it,
 * against mock-cloud's Blob front end; what is stored is read back through mock-cloud's {@code /mock/objects}.
 */
class AzureSecretsTest {
    private static final String SECRETS = "export API_TOKEN='t0ken'\nexport OTHER='x y'\n";

    private static Vertx vertx;
    private static AzureProvisioner azure;

    @BeforeAll
    static void start() {
        vertx = Vertx.vertx();
        AzureConfig config = AzureProvisionerTest.config(MockCloudProcess.shared().armEndpoint(), "Delete",
                "crossjobs-adapter", Optional.empty());
        azure = new AzureProvisioner(new AzureClients(config, vertx, new CallPacer()), config, DeploymentId.DEFAULT);
    }

    @AfterAll
    static void stop() {
        vertx.close();
    }

    @Test
    void theNodeFetchesItsSecretsOnceThenTheyAreGoneAndAFetchAgainFailsQuietly() throws Exception {
        ClusterKey key = cluster();
        SecretDelivery delivery = azure.secretDelivery(key, "eastus", 0, SECRETS, Duration.ofHours(1));
        String function = delivery.fetchFunction();
        assertTrue(stored(key, 0), "stored as " + OutputObjects.secretKey(DeploymentId.DEFAULT, key, 0));
        assertFalse(function.contains(MockBlobStorage.shared().accountKey()), "no account key on the node");
        assertTrue(function.contains("sp=rd") && function.contains("sr=b"), "read and delete, this blob only: " + function);
        Path file = Files.createTempFile("secrets", "");

        Fetch first = fetch(function, file);

        assertEquals(0, first.exit(), first.said());
        assertEquals(SECRETS, Files.readString(file));
        assertEquals("", first.said(), "nothing printed");
        assertFalse(stored(key, 0), "the node deleted them");
        Fetch again = fetch(function, file);
        assertTrue(again.exit() != 0, "nothing left to fetch");
        assertFalse(again.said().contains("sig="), "the URL is never printed: " + again.said());
    }

    @Test
    void aReplayedLaunchStoresTheSecretsAgainAndTheClustersDeletionTakesUnfetchedOnes() throws Exception {
        ClusterKey key = cluster();
        azure.secretDelivery(key, "eastus", 1, "export A='1'\n", Duration.ofHours(1));
        String function = azure.secretDelivery(key, "eastus", 1, SECRETS, Duration.ofHours(1)).fetchFunction();
        azure.secretDelivery(key, "eastus", 2, SECRETS, Duration.ofHours(1));
        Path file = Files.createTempFile("secrets", "");

        assertEquals(0, fetch(function, file).exit());
        assertEquals(SECRETS, Files.readString(file), "the later store wins");
        assertTrue(stored(key, 2));

        azure.deleteOutput(key);

        assertFalse(stored(key, 2), "rank 2 never fetched its secrets: they go with the cluster's output");
    }

    @Test
    void anExpiredFetchFailsAndLeavesTheSecretsForTheClustersDeletion() throws Exception {
        ClusterKey key = cluster();
        java.time.Instant signed = java.time.Instant.now();
        String function = azure.secretDelivery(key, "eastus", 0, SECRETS, Duration.ofSeconds(1)).fetchFunction();
        Path file = Files.createTempFile("secrets", "");
        // fetched only once the SAS has expired: a fetch before that would succeed and delete the blob
        await().atMost(Duration.ofSeconds(15)).until(() -> java.time.Instant.now().isAfter(signed.plusSeconds(3)));

        Fetch late = fetch(function, file);
        assertNotEquals(0, late.exit(), late.said());

        assertEquals("", Files.readString(file));
        assertTrue(late.said().contains("403"), late.said());
        assertFalse(late.said().contains("sig="), late.said());
        assertTrue(stored(key, 0));
        azure.deleteOutput(key);
        assertFalse(stored(key, 0));
    }

    private record Fetch(int exit, String said) { }

    /** {@code crossjobs_fetch_secrets FILE} as the startup script defines and calls it. */
    private static Fetch fetch(String function, Path file) throws Exception {
        Process p = new ProcessBuilder("bash", "-c", "crossjobs_fetch_secrets() {\n" + function
                + "\n}\ncrossjobs_fetch_secrets \"$0\"", file.toString()).redirectErrorStream(true).start();
        String said = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        return new Fetch(p.exitValue(), said);
    }

    private static boolean stored(ClusterKey key, int rank) {
        return MockCloudProcess.shared().objectKeys("azure").contains(AzureProvisionerTest.CONTAINER + "/"
                + OutputObjects.secretKey(DeploymentId.DEFAULT, key, rank));
    }

    private static ClusterKey cluster() {
        String job = "sec-" + UUID.randomUUID().toString().substring(0, 8);
        return new ClusterKey(job, 1, "cj-" + job + "-1");
    }
}

package io.crossjobs.provisioner.gcp;

import io.crossjobs.events.DeploymentId;
import io.crossjobs.events.SecretDelivery;
import io.crossjobs.provisioner.OutputObjects;
import io.crossjobs.provisioner.gcp.config.GcpConfig;
import io.crossjobs.provisioner.gcp.service.GcsClients;
import io.crossjobs.provisioner.gcp.service.GcsOutputStore;
import io.crossjobs.provisioner.gcp.service.GcsSecretStore;
import io.crossjobs.provisioner.model.ClusterKey;
import io.crossjobs.testsupport.MockCloudProcess;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A node's secrets through Cloud Storage, against mock-cloud: the adapter stores them as a private object and
 * gives a fetch function that real bash and curl run as a node would: it fetches them, deletes the object, and
 * fails (non-zero, printing no URL) once they are gone or once its signed URLs have expired.
 */
class GcsSecretStoreTest {
    private static final String SECRETS = "export API_TOKEN='s3cr3t-" + UUID.randomUUID() + "'\n";

    private static GcsClients clients;
    private static GcsOutputStore output;
    private static GcsSecretStore secrets;

    @BeforeAll
    static void start() {
        MockCloudProcess mock = MockCloudProcess.shared();
        GcpConfig config = GceProvisionerTest.config(mock.endpoint(), mock.gcs().endpoint(), mock.gcs().keyFile());
        clients = new GcsClients(config);
        output = new GcsOutputStore(clients, config, DeploymentId.DEFAULT);
        secrets = new GcsSecretStore(clients, output);
    }

    @AfterAll
    static void stop() throws Exception {
        clients.close();
    }

    @Test
    void theNodeFetchesItsSecretsOnceAndDeletesThem() throws Exception {
        ClusterKey cluster = cluster();
        String key = OutputObjects.secretKey(DeploymentId.DEFAULT, cluster, 0);
        SecretDelivery delivery = secrets.deliver(cluster, 0, SECRETS, Duration.ofHours(1));
        assertTrue(stored(key), "stored under " + key);
        assertFalse(delivery.fetchFunction().contains("s3cr3t"), "the function carries requests, not the secrets");
        assertFalse(delivery.fetchFunction().contains("PRIVATE KEY"), "nor a key");
        assertTrue(delivery.fetchFunction().contains("X-Goog-Algorithm=GOOG4-RSA-SHA256"), delivery.fetchFunction());

        Path file = Files.createTempFile("secrets", "");
        Run first = run(delivery, file);
        assertEquals(0, first.exitCode(), first.output());
        assertEquals(SECRETS, Files.readString(file));
        assertFalse(stored(key), "the node deleted the stored secrets");

        Run again = run(delivery, file);
        assertNotEquals(0, again.exitCode(), "gone: the fetch fails");
        assertFalse(again.output().contains("X-Goog-Signature") || again.output().contains("http"),
                "no request is printed: " + again.output());
    }

    @Test
    void aReplayedLaunchStoresThemAgainAndAnUnfetchedSecretGoesWithTheClusterOutput() throws Exception {
        ClusterKey cluster = cluster();
        secrets.deliver(cluster, 1, "export A='1'\n", Duration.ofHours(1));
        SecretDelivery replay = secrets.deliver(cluster, 1, SECRETS, Duration.ofHours(1));
        Path file = Files.createTempFile("secrets", "");
        assertEquals(0, run(replay, file).exitCode());
        assertEquals(SECRETS, Files.readString(file));

        secrets.deliver(cluster, 2, SECRETS, Duration.ofHours(1));
        assertTrue(stored(OutputObjects.secretKey(DeploymentId.DEFAULT, cluster, 2)));
        output.delete(cluster);
        assertTrue(objectKeys().stream().noneMatch(k -> k.contains(cluster.clusterName())), "deleted with the output");
    }

    @Test
    void anExpiredFetchFailsAndLeavesTheObjectForTheClusterCleanup() throws Exception {
        ClusterKey cluster = cluster();
        java.time.Instant signed = java.time.Instant.now();
        SecretDelivery delivery = secrets.deliver(cluster, 0, SECRETS, Duration.ofSeconds(1));
        Path file = Files.createTempFile("secrets", "");
        // run only once the requests have expired: a fetch before that would succeed and delete the object
        await().atMost(Duration.ofSeconds(15)).until(() -> java.time.Instant.now().isAfter(signed.plusSeconds(3)));

        assertNotEquals(0, run(delivery, file).exitCode(), "expired: the fetch fails");
        assertTrue(stored(OutputObjects.secretKey(DeploymentId.DEFAULT, cluster, 0)), "an expired DELETE deletes nothing");
        assertNotEquals(SECRETS, Files.readString(file));
    }

    private record Run(int exitCode, String output) { }

    private static Run run(SecretDelivery delivery, Path file) throws IOException, InterruptedException {
        String script = "crossjobs_fetch_secrets() {\n" + delivery.fetchFunction() + "\n}\ncrossjobs_fetch_secrets \"$1\"\n";
        Process p = new ProcessBuilder("bash", "-c", script, "fetch", file.toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(2, TimeUnit.MINUTES));
        return new Run(p.exitValue(), out);
    }

    /** Whether the output bucket holds {@code key} (mock-cloud lists {@code bucket/key}). */
    private static boolean stored(String key) {
        return objectKeys().contains(output.bucket() + "/" + key);
    }

    private static java.util.List<String> objectKeys() {
        return MockCloudProcess.shared().objectKeys("gcp");
    }

    private static ClusterKey cluster() {
        String job = "secret-" + UUID.randomUUID().toString().substring(0, 8);
        return new ClusterKey(job, 1, "cj-" + job + "-1");
    }
}

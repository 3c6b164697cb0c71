package io.crossjobs.provisioner.aws;

import io.crossjobs.events.DeploymentId;
import io.crossjobs.events.SecretDelivery;
import io.crossjobs.provisioner.aws.store.S3Buckets;
import io.crossjobs.provisioner.OutputObjects;
import io.crossjobs.provisioner.aws.output.S3OutputStore;
import io.crossjobs.provisioner.aws.service.AwsClients;
import io.crossjobs.provisioner.model.ClusterKey;
import io.crossjobs.provisioner.service.CallPacer;
import io.crossjobs.testsupport.MockCloudProcess;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

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
 * A node's secrets through S3, the fetch function run by real bash and curl against mock-cloud's S3, which verifies
 * pre-signed requests as S3 does: fetched once then deleted, refused once gone or expired, never printing its URLs.
 */
class S3SecretDeliveryTest {
    private static final String SECRETS = "export API_TOKEN='s3cr3t value'\n";
    private static MockCloudProcess mock;
    private static AwsClients clients;
    private static S3OutputStore store;

    @TempDir
    Path dir;

    @BeforeAll
    static void start() {
        mock = MockCloudProcess.shared();
        TestAwsConfig config = TestAwsConfig.at(mock.endpoint());
        clients = new AwsClients(config, new CallPacer());
        store = new S3OutputStore(clients, config, new S3Buckets(clients), DeploymentId.DEFAULT);
    }

    @AfterAll
    static void stop() {
        clients.close();
    }

    private record Run(int exitCode, String output) { }

    private Run fetch(SecretDelivery delivery, Path file) throws IOException, InterruptedException {
        Path script = dir.resolve("fetch.sh");
        Files.writeString(script, "f() {\n" + delivery.fetchFunction() + "\n}\nf \"$1\"\n");
        Process p = new ProcessBuilder("bash", script.toString(), file.toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS));
        return new Run(p.exitValue(), out);
    }

    /** mock-cloud lists keys as {@code bucket/key}. */
    private static boolean stored(ClusterKey key, int rank) {
        return mock.objectKeys("aws").contains("crossjobs-output-test/" + OutputObjects.secretKey(DeploymentId.DEFAULT, key, rank));
    }

    private static ClusterKey cluster() {
        String job = "sec-" + UUID.randomUUID().toString().substring(0, 8);
        return new ClusterKey(job, 1, "cj-" + job + "-1");
    }

    @Test
    void theNodeFetchesItsSecretsOnceAndDeletesThem() throws Exception {
        ClusterKey key = cluster();
        SecretDelivery delivery = store.secretDelivery(key, 0, SECRETS, Duration.ofMinutes(10));
        assertFalse(delivery.fetchFunction().contains("s3cr3t"), "the function carries a request, not the secrets");
        assertTrue(stored(key, 0));

        Path file = dir.resolve("secrets");
        Run first = fetch(delivery, file);
        assertEquals(0, first.exitCode(), first.output());
        assertEquals(SECRETS, Files.readString(file));
        assertEquals("", first.output(), "nothing printed");
        assertFalse(stored(key, 0), "deleted once fetched");
        assertFalse(Files.exists(dir.resolve("secrets.part")));

        // called again with FILE already complete (a lost DELETE answer): still done
        assertEquals(0, fetch(delivery, file).exitCode());
        // a fresh node with the same request finds nothing and says so without the URL
        Run again = fetch(delivery, dir.resolve("other"));
        assertNotEquals(0, again.exitCode());
        assertTrue(again.output().contains("HTTP 404"), again.output());
        assertFalse(again.output().contains("X-Amz-Signature") || again.output().contains("http"), again.output());
    }

    @Test
    void anExpiredRequestFailsCleanlyAndLeavesTheSecretsForDeleteOutput() throws Exception {
        ClusterKey key = cluster();
        java.time.Instant signed = java.time.Instant.now();
        SecretDelivery delivery = store.secretDelivery(key, 1, SECRETS, Duration.ofSeconds(1));
        Path file = dir.resolve("secrets");

        // not fetched while valid: a fetch then would succeed and delete them
        await().atMost(Duration.ofSeconds(10)).until(() -> java.time.Instant.now().isAfter(signed.plusSeconds(2)));
        Run expired = fetch(delivery, file);
        assertNotEquals(0, expired.exitCode(), expired.output());
        assertTrue(expired.output().contains("HTTP 403"), expired.output());
        assertFalse(expired.output().contains("X-Amz-Signature"), expired.output());
        assertEquals(0, Files.exists(file) ? Files.size(file) : 0, "nothing fetched");
        assertTrue(stored(key, 1), "an expired request deletes nothing");

        // a replayed launch stores them again, under the same key
        store.secretDelivery(key, 1, SECRETS, Duration.ofMinutes(10));
        assertTrue(stored(key, 1));
        store.delete(key);
        assertFalse(stored(key, 1), "deleteOutput removes secrets a node never fetched");
    }
}

package io.crossjobs.provisioner.aws;

import io.crossjobs.events.DeploymentId;
import io.crossjobs.events.OutputShipping;
import io.crossjobs.provisioner.aws.store.S3Buckets;
import io.crossjobs.events.StartupScript;
import io.crossjobs.provisioner.OutputObjects;
import io.crossjobs.provisioner.aws.output.S3OutputStore;
import io.crossjobs.provisioner.aws.output.S3PostPolicy;
import io.crossjobs.provisioner.aws.service.AwsClients;
import io.crossjobs.provisioner.model.CloudInstance;
import io.crossjobs.provisioner.model.ClusterKey;
import io.crossjobs.provisioner.model.NodeState;
import io.crossjobs.provisioner.service.CallPacer;
import io.crossjobs.testsupport.MockCloudProcess;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The upload a node gets, run with the real curl against mock-cloud's S3, which checks POST policies as S3 does. */
class S3OutputStoreTest {
    private static MockCloudProcess mock;
    private static AwsClients clients;
    private static S3OutputStore store;
    private static TestAwsConfig config;

    @TempDir
    Path dir;

    @BeforeAll
    static void start() {
        mock = MockCloudProcess.shared();
        config = TestAwsConfig.at(mock.endpoint());
        clients = new AwsClients(config, new CallPacer());
        store = new S3OutputStore(clients, config, new S3Buckets(clients), DeploymentId.DEFAULT);
    }

    @AfterAll
    static void stop() {
        clients.close();
    }

    @Test
    void aNodeShipsChunksUnderItsOwnPrefixOnlyAndTheyReadBackFromAnyOffset() throws Exception {
        ClusterKey key = cluster();
        String ship = store.shipping(key, 0, Duration.ofHours(1)).shipFunction();

        assertEquals(0, ship(ship, "first line\nsecond", 0));
        assertEquals(0, ship(ship, " line\n", 17));
        assertEquals(0, ship(ship, " line\n", 17), "shipping a chunk again is harmless");

        assertEquals("first line\nsecond line\n", read(key, 0, 0));
        assertEquals("second line\n", read(key, 0, 11));
        assertEquals("", read(key, 0, 23));

        // the same policy cannot write another node's output
        String otherNode = ship.replace(OutputObjects.prefix(DeploymentId.DEFAULT, key, 0), OutputObjects.prefix(DeploymentId.DEFAULT, key, 1));
        assertNotEquals(0, ship(otherNode, "forged\n", 0));
        assertEquals("", read(key, 1, 0));

        store.delete(key);
        assertTrue(mock.objectKeys("aws").stream().noneMatch(k -> k.contains(key.jobId())));
    }

    @Test
    void anExpiredPolicyIsRefusedAndNoSecretTravels() throws Exception {
        ClusterKey key = cluster();
        store.shipping(key, 0, Duration.ofHours(1));  // makes the bucket
        String prefix = OutputObjects.prefix(DeploymentId.DEFAULT, key, 0);
        var grant = new S3PostPolicy.Grant(config.outputBucket(), config.outputRegion(), prefix,
                OutputShipping.MAX_CHUNK_BYTES, Duration.ofHours(1));
        var credentials = AwsBasicCredentials.create("mock", "mock");
        Map<String, String> expired = S3PostPolicy.fields(grant, credentials, Instant.now().minus(Duration.ofHours(2)));
        Map<String, String> valid = S3PostPolicy.fields(grant, credentials, Instant.now());

        assertNotEquals(0, ship(curl(prefix, expired), "late\n", 0));
        assertEquals(0, ship(curl(prefix, valid), "in time\n", 0));
        assertEquals("in time\n", read(key, 0, 0));

        var secret = AwsBasicCredentials.create("AKIAEXAMPLEKEYID0000", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY");
        Map<String, String> fields = S3PostPolicy.fields(grant, secret, Instant.now());
        assertFalse(fields.toString().contains(secret.secretAccessKey()), "the secret key only signs");
        assertTrue(fields.get("x-amz-credential").startsWith("AKIAEXAMPLEKEYID0000/"));
    }

    /** A ship function built from these fields, as S3OutputStore builds it. */
    private String curl(String prefix, Map<String, String> fields) {
        StringBuilder f = new StringBuilder("curl -sS -f -o /dev/null --form-string ")
                .append(StartupScript.quote("key=" + prefix)).append("\"$(printf '%016d' \"$2\")\"");
        fields.forEach((n, v) -> f.append(" --form-string ").append(StartupScript.quote(n + "=" + v)));
        return f.append(" -F file=@\"$1\" ").append(StartupScript.quote(mock.s3Endpoint() + "/"
                + config.outputBucket())).toString();
    }

    private int ship(String function, String bytes, long offset) throws IOException, InterruptedException {
        Path chunk = Files.writeString(dir.resolve("chunk-" + UUID.randomUUID()), bytes);
        Process p = new ProcessBuilder("bash", "-c", "crossjobs_ship() {\n" + function + "\n}\ncrossjobs_ship \"$1\" \"$2\"",
                "ship", chunk.toString(), Long.toString(offset)).redirectErrorStream(true).start();
        p.getInputStream().transferTo(System.out);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        return p.exitValue();
    }

    private static String read(ClusterKey key, int rank, long offset) {
        CloudInstance node = new CloudInstance("i-0", key.jobId(), key.attempt(), key.clusterName(), rank,
                config.outputRegion(), "us-east-2a", "t3.micro", false, "10.0.0.1", NodeState.RUNNING, false, null);
        var out = store.read(node, offset);
        assertEquals(offset, out.offset());
        return new String(out.data(), StandardCharsets.UTF_8);
    }

    private static ClusterKey cluster() {
        String job = "ship-" + UUID.randomUUID().toString().substring(0, 8);
        return new ClusterKey(job, 1, "cj-" + job + "-1");
    }
}

package io.crossjobs.stack;

import io.crossjobs.events.InternalAuth;
import io.crossjobs.events.SecretSealer;
import io.crossjobs.events.SignedRequest;
import io.crossjobs.events.StoreClient;
import io.crossjobs.stack.CrossjobsCommand.Run;
import io.crossjobs.testsupport.ProjectRoot;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Tasks that carry code and data, launched with the real CLI from a project folder as a user would: the workdir, a
 * local file, a local folder and a bucket reach every node on each cloud, through crossjobs' store (here on the
 * controller's cloud, gcp) and signed requests only; a preempted run stages them all again on another cloud.
 */
@ExtendWith(LocalStack.class)
class CodeAndDataIT {
    private static final Duration JOB_TIMEOUT = Duration.ofMinutes(3);
    private static final String MARK = UUID.randomUUID().toString().substring(0, 8);
    private static final String BUCKET = "s3://crossjobs-store/user-data-" + MARK;

    private final JobApiClient api = JobApiClient.asAdmin();
    private final MockCloudClient cloud = new MockCloudClient(LocalStack.config());
    private static Path project;

    /** A project folder: a script and a data file in the workdir, an ignored file, a config file, an assets folder. */
    @BeforeAll
    static void project() throws Exception {
        project = Files.createDirectories(ProjectRoot.find().resolve("scenarios/target/code-and-data/project-" + MARK));
        Files.writeString(project.resolve("train.sh"), "echo \"script ran in $PWD\"\necho \"data: $(cat data.txt)\"\n");
        Files.writeString(project.resolve("data.txt"), "data-" + MARK);
        Files.writeString(project.resolve("notes.secret"), "stays home");
        Files.writeString(project.resolve(".skyignore"), "*.secret\n");
        Files.writeString(project.resolve("config.yaml"), "config-" + MARK + "\n");
        Files.createDirectories(project.resolve("assets/nested"));
        Files.writeString(project.resolve("assets/nested/a.txt"), "asset-" + MARK);
        // a user's bucket on aws: objects put there through the aws provisioner, which alone holds aws credentials
        for (Map.Entry<String, String> object : Map.of("part-0.txt", "bucket-0-" + MARK,
                "deeper/part-1.txt", "bucket-1-" + MARK).entrySet()) {
            SignedRequest put = store("aws").sign("PUT", List.of(store("aws").ensureStore() + "/user-data-" + MARK
                    + "/" + object.getKey()), Duration.ofMinutes(5)).get(0);
            HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(put.url()))
                    .PUT(HttpRequest.BodyPublishers.ofString(object.getValue()));
            put.headers().forEach(b::header);
            assertEquals(200, HttpClient.newHttpClient().send(b.build(), HttpResponse.BodyHandlers.ofString())
                    .statusCode());
        }
    }

    private static StoreClient store(String cloud) throws IOException {
        String key = Files.readString(LocalStack.config().stateDir().resolve("secrets.key")).trim();
        int port = switch (cloud) {
            case "aws" -> LocalStack.config().provisionerAwsPort();
            case "gcp" -> LocalStack.config().provisionerGcpPort();
            default -> LocalStack.config().provisionerAzurePort();
        };
        return new StoreClient(URI.create("http://127.0.0.1:" + port), new InternalAuth(key, Clock.systemUTC()),
                SecretSealer.fromBase64Key(key));
    }

    private static String task(String resources, String extraRun) {
        return """
                name: code-and-data
                resources: %s
                workdir: .
                file_mounts:
                  ~/config.yaml: ./config.yaml
                  ~/assets: ./assets
                  ~/bucket: %s
                run: |
                  bash train.sh
                  echo "config: $(cat ~/config.yaml)"
                  echo "asset: $(cat ~/assets/nested/a.txt)"
                  echo "bucket: $(cat ~/bucket/part-0.txt) $(cat ~/bucket/deeper/part-1.txt)"
                  [ -e notes.secret ] && echo "ignored file LEAKED" || echo "ignored file stayed home"
                  %s
                """.formatted(resources, BUCKET, extraRun);
    }

    private static void assertStaged(String output) {
        assertTrue(output.contains("script ran in ") && output.contains("/sky_workdir"), output);
        assertTrue(output.contains("data: data-" + MARK), output);
        assertTrue(output.contains("config: config-" + MARK), output);
        assertTrue(output.contains("asset: asset-" + MARK), output);
        assertTrue(output.contains("bucket: bucket-0-" + MARK + " bucket-1-" + MARK), output);
        assertTrue(output.contains("ignored file stayed home"), output);
    }

    @Test
    void theWorkdirFilesFoldersAndABucketReachANodeOnEachCloud() throws Exception {
        Map<String, String> jobs = new java.util.LinkedHashMap<>();
        for (String c : List.of("aws", "gcp", "azure")) {
            Path file = project.resolve("task-" + c + ".yaml");
            Files.writeString(file, task("{cloud: " + c + "}", "true"));
            Run run = crossjobs("launch", "--detach", file.getFileName().toString());
            assertEquals(0, run.exit(), run::describe);
            jobs.put(c, run.jobId());
            if (!c.equals("aws")) {
                assertTrue(run.out().contains("unchanged, not uploaded"), () -> "the same sources again: " + run.describe());
            }
        }
        for (Map.Entry<String, String> job : jobs.entrySet()) {
            String id = job.getValue();
            assertEquals("SUCCEEDED", api.awaitTerminal(id, JOB_TIMEOUT), () -> api.events(id) + "\n" + api.logs(id));
            assertEquals(job.getKey(), api.job(id).getString("cloud"));
            // the last output may be stored a moment after the status (issue 18)
            await().atMost(Duration.ofSeconds(30)).until(() -> api.logs(id).contains("ignored file"));
            assertStaged(api.logs(id));
            String userData = cloud.userData(String.valueOf(cloud.instancesOf(id).get(0).get("id")));
            assertFalse(userData.contains("crossjobs-archives/"), "the staged objects are not named in user data");
            assertFalse(userData.contains("X-Goog-Signature") && userData.contains("crossjobs-store"), userData);
            for (String credential : cloudCredentials()) {
                for (String seen : List.of(userData, api.logs(id), api.events(id).toString(), api.job(id).prettify())) {
                    assertFalse(seen.contains(credential), "a cloud credential reached a node, an event or an answer");
                }
            }
        }
    }

    @Test
    void aPreemptedRunStagesEverythingAgainOnAnotherCloud() throws Exception {
        Path file = project.resolve("task-spot.yaml");
        Files.writeString(file, task("{use_spot: true, cpus: 2+, any_of: [{infra: aws/us-east-1}, {infra: gcp/us-central1}, "
                + "{infra: azure/eastus}]}",
                "echo attempt done; sleep 20; echo finished"));
        Run run = crossjobs("launch", "--detach", file.getFileName().toString());
        assertEquals(0, run.exit(), run::describe);
        String id = run.jobId();
        api.awaitStatus(id, "RUNNING", JOB_TIMEOUT);
        await().atMost(JOB_TIMEOUT).until(() -> api.logs(id).contains("attempt done"));
        assertStaged(api.logs(id));
        String first = api.job(id).getString("cloud");

        // one region per cloud: a recovery leaves the preempted region (EAGER_NEXT_REGION), so it changes cloud
        cloud.preempt(String.valueOf(cloud.aliveInstancesOf(id).get(0).get("id")));
        assertEquals("SUCCEEDED", api.awaitTerminal(id, JOB_TIMEOUT), () -> api.events(id) + "\n" + api.logs(id));
        assertNotEquals(first, api.job(id).getString("cloud"), "recovered on another cloud");
        assertEquals(1, api.job(id).getInt("recoveryCount"));
        await().atMost(Duration.ofSeconds(30)).until(() -> api.logs(id).contains("finished"));
        String logs = api.logs(id);
        String second = logs.substring(logs.indexOf("attempt done") + "attempt done".length());
        assertStaged(second);
        assertTrue(second.contains("finished"), logs);
    }

    @Test
    void aHundredMegabyteWorkdirUploadsOnceAndStages() throws Exception {
        Path big = Files.createDirectories(project.resolveSibling("big-" + MARK));
        byte[] chunk = new byte[1 << 20];
        Random random = new Random(17);
        try (OutputStream out = Files.newOutputStream(big.resolve("weights.bin"))) {
            for (int i = 0; i < 100; i++) {
                random.nextBytes(chunk);
                out.write(chunk);
            }
        }
        String sha256 = InternalAuth.sha256Hex(Files.readAllBytes(big.resolve("weights.bin")));
        Files.writeString(big.resolve("task.yaml"), """
                name: big-workdir
                resources: {cloud: azure}
                workdir: .
                run: echo "weights $(stat -c %s weights.bin) bytes, sha256 $(sha256sum weights.bin | cut -d' ' -f1)"
                """);
        Run first = crossjobs(big, "launch", "task.yaml");
        assertEquals(0, first.exit(), first::describe);
        assertTrue(first.out().contains("weights 104857600 bytes, sha256 " + sha256), first::describe);
        assertTrue(first.out().contains(" uploaded"), first::describe);

        Run again = crossjobs(big, "launch", "task.yaml");
        assertEquals(0, again.exit(), again::describe);
        assertTrue(again.out().contains("unchanged, not uploaded"), again::describe);
        assertTrue(again.out().contains("weights 104857600 bytes, sha256 " + sha256), again::describe);
    }

    /**
     * The stack's storage credentials that can be told apart (its AWS keys are the word "mock"): the Azure storage
     * account key and a line of the GCS service account's private key.
     */
    private static List<String> cloudCredentials() throws IOException {
        String mock = "http://127.0.0.1:" + LocalStack.config().mockCloudPort();
        String accountKey = io.restassured.RestAssured.given().baseUri(mock).get("/mock/blob").then().statusCode(200)
                .extract().path("accountKey");
        String keyFile = io.restassured.RestAssured.given().baseUri(mock).get("/mock/gcs").then().statusCode(200)
                .extract().path("keyFile");
        String privateKey = new com.fasterxml.jackson.databind.ObjectMapper().readTree(Files.readString(Path.of(keyFile)))
                .get("private_key").asText();
        String pemLine = privateKey.lines().filter(l -> !l.startsWith("-----") && l.length() > 40).skip(2).findFirst()
                .orElseThrow();
        return List.of(accountKey, pemLine);
    }

    private static Run crossjobs(String... args) throws IOException, InterruptedException {
        return crossjobs(project, args);
    }

    private static Run crossjobs(Path dir, String... args) throws IOException, InterruptedException {
        return CrossjobsCommand.run(dir, JOB_TIMEOUT.plusSeconds(60), args);
    }
}

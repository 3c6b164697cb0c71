package io.crossjobs.jobapi.controller;

import io.crossjobs.events.ClusterFound;
import io.crossjobs.events.ClusterPreempted;
import io.crossjobs.events.ClusterProgress;
import io.crossjobs.events.ClusterState;
import io.crossjobs.events.ControllerHeartbeat;
import io.crossjobs.events.EventCodec;
import io.crossjobs.events.EventType;
import io.crossjobs.events.JobEvent;
import io.crossjobs.events.LaunchCluster;
import io.crossjobs.events.SecretSealer;
import io.crossjobs.events.TerminateCluster;
import io.crossjobs.events.Topics;
import io.crossjobs.jobapi.TestEvents;
import io.crossjobs.testsupport.KafkaAndPostgresResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.smallrye.reactive.messaging.kafka.companion.ConsumerTask;
import io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static io.crossjobs.jobapi.TestEvents.asAdmin;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The keeper on real Kafka and PostgreSQL, with the provisioners' and the controller's side played by records:
 * it launches the controller VM through the provisioner of its cloud, hands the settings out once, takes the VM as
 * serving on its heartbeat, migrates it, terminates an orphan, and replaces a preempted VM (cleaning it up).
 */
@QuarkusTest
@QuarkusTestResource(KafkaAndPostgresResource.class)
@TestProfile(KeeperFlowTest.Keeping.class)
class KeeperFlowTest {
    private static final String PROVISIONER = "/crossjobs/provisioner-test";
    private static final String SECRET_SETTING = "quarkus.datasource.password=only-for-the-controller";

    public static class Keeping implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            try {
                Path settings = Files.createTempFile("controller", ".properties");
                Files.writeString(settings, "kafka.bootstrap.servers=broker:9092\n" + SECRET_SETTING + "\n");
                return Map.of("crossjobs.keeper.enabled", "true",
                        "crossjobs.keeper.controller-artifact", "/opt/crossjobs/controller-service/quarkus-run.jar",
                        "crossjobs.keeper.controller-settings-file", settings.toString(),
                        "jobs.controller.resources.cloud", "aws", "jobs.controller.resources.region", "us-east-2");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    private KafkaCompanion kafka;
    private final Map<String, ConsumerTask<String, String>> commandReaders = new java.util.HashMap<>();

    @ConfigProperty(name = "crossjobs.secrets.key")
    String secretsKey;

    @Test
    void launchServeMigrateAndReplaceTheControllerVm() {
        // the first start: one VM on the configured placement, through provision-commands.aws
        LaunchCluster first = launch("aws", 1);
        assertTrue(first.jobId().startsWith("controller-"), first.jobId());
        String id = first.jobId();
        assertEquals("cj-" + id + "-1", first.clusterName());
        assertEquals("us-east-2", first.placement().region());
        assertFalse(first.placement().spot());
        String userData = EventCodec.encode(first);
        assertFalse(userData.contains("only-for-the-controller") || userData.contains("broker:9092"),
                "the controller's settings are not in its launch command");

        // its settings, once, with the one-time token; a second call gets nothing
        String token = SecretSealer.fromBase64Key(secretsKey).unseal(first.secrets().get("CROSSJOBS_BOOTSTRAP_TOKEN"));
        String settings = given().header("Authorization", "Bearer " + token).get("/controller/bootstrap")
                .then().statusCode(200).extract().asString();
        assertTrue(settings.contains("only-for-the-controller") && settings.contains("broker\\:9092"), settings);
        assertTrue(settings.contains("crossjobs.controller.identity.cluster=" + first.clusterName()), settings);
        given().header("Authorization", "Bearer " + token).get("/controller/bootstrap").then().statusCode(401);
        given().header("Authorization", "Bearer " + TestEvents.ADMIN_TOKEN).get("/controller/bootstrap")
                .then().statusCode(401);

        // the cloud reports it running, the controller heartbeats: it serves
        send(Topics.PROVISION_EVENTS, ClusterProgress.of(id).attempt(1).clusterName(first.clusterName())
                .state(ClusterState.RUNNING).cloud("aws").region("us-east-2").zone("us-east-2a")
                .instanceIds(List.of("i-controller-1")).message("1/1 running").at(Instant.now()).build());
        heartbeat(id, 1);
        // the heartbeat and the cloud's report come on two topics, in either order: the VM serves on the first
        // heartbeat, and its instance id shows once the report is in
        JsonPath serving = awaitState("SERVING", s -> first.clusterName().equals(s.getString("effective.clusterName"))
                && "i-controller-1".equals(s.getString("effective.instanceId")));
        assertEquals("aws", serving.getString("effective.cloud"));

        // a migration: a VM at the target first, the old one stops once the new one serves
        asAdmin().contentType(ContentType.JSON).body("{\"cloud\":\"gcp\",\"region\":\"us-central1\"}")
                .post("/controller/migrate").then().statusCode(202).body("migration.cloud", org.hamcrest.Matchers.equalTo("gcp"));
        LaunchCluster second = launch("gcp", 1);
        assertEquals(2, second.attempt());
        // nothing stops before the new VM serves
        await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(5))
                .until(() -> terminations("aws", first.clusterName()).isEmpty());
        heartbeat(id, 2);
        assertEquals(1, awaitTerminations("aws", first.clusterName()).size());
        JsonPath migrated = awaitState("SERVING", s -> "gcp".equals(s.getString("effective.cloud")));
        assertEquals("us-central1", migrated.getString("effective.region"));
        assertEquals(Boolean.TRUE, migrated.getBoolean("migrations[0].completed"));

        // an unknown controller VM a provisioner found is an orphan
        send(Topics.PROVISION_EVENTS, ClusterFound.of(id).attempt(99).clusterName("cj-" + id + "-99").cloud("gcp")
                .region("us-central1").zone("us-central1-b").instanceIds(List.of("i-stray")).at(Instant.now()).build());
        assertEquals(1, awaitTerminations("gcp", "cj-" + id + "-99").size());

        // preempted: replaced at once, and the preempted VM is deleted
        send(Topics.PROVISION_EVENTS, ClusterPreempted.of(id).attempt(2).clusterName(second.clusterName())
                .cloud("gcp").region("us-central1").zone("us-central1-a").message("spot reclaimed").at(Instant.now())
                .build());
        assertEquals(3, launch("gcp", 2).attempt());
        assertEquals(1, awaitTerminations("gcp", second.clusterName()).size());
        assertTrue(asAdmin().get("/controller").then().extract().jsonPath().getList("history.kind")
                .contains(ControllerKeeper.LOST));
    }

    private void heartbeat(String id, int generation) {
        send(Topics.CONTROLLER_HEARTBEATS, ControllerHeartbeat.of(id).generation(generation)
                .clusterName("cj-" + id + "-" + generation).process("42@vm").ready(true).assignedPartitions(8)
                .startedAt(Instant.now()).at(Instant.now()).build());
    }

    private JsonPath awaitState(String state, java.util.function.Predicate<JsonPath> also) {
        return await().atMost(Duration.ofSeconds(30)).until(() -> asAdmin().get("/controller").then()
                .statusCode(200).extract().jsonPath(), s -> state.equals(s.getString("state")) && also.test(s));
    }

    /** The {@code n}-th launch command on the cloud's topic (1 = the first). */
    private LaunchCluster launch(String cloud, int n) {
        return (LaunchCluster) await().atMost(Duration.ofSeconds(30)).until(() -> commands(cloud).stream()
                .filter(e -> e instanceof LaunchCluster).toList(), l -> l.size() >= n).get(n - 1);
    }

    private List<JobEvent> awaitTerminations(String cloud, String cluster) {
        return await().atMost(Duration.ofSeconds(30)).until(() -> terminations(cloud, cluster), l -> !l.isEmpty());
    }

    private List<JobEvent> terminations(String cloud, String cluster) {
        return commands(cloud).stream().filter(e -> e instanceof TerminateCluster t && t.clusterName().equals(cluster))
                .toList();
    }

    /** Every command on the cloud's topic so far, read by one consumer per topic that stays open for the test. */
    private List<JobEvent> commands(String cloud) {
        ConsumerTask<String, String> task = commandReaders.computeIfAbsent(cloud, c -> kafka.consumeStrings()
                .withGroupId("test-" + java.util.UUID.randomUUID())
                .withOffsetReset(org.apache.kafka.clients.consumer.OffsetResetStrategy.EARLIEST)
                .fromTopics(Topics.provisionCommands(c)));
        return task.getRecords().stream().map(KeeperFlowTest::decode).toList();
    }

    @org.junit.jupiter.api.BeforeEach
    void openKafka() {
        kafka = new KafkaCompanion(bootstrap);
    }

    @org.junit.jupiter.api.AfterEach
    void closeKafka() {
        commandReaders.values().forEach(ConsumerTask::close);
        commandReaders.clear();
        kafka.close();
    }

    private static JobEvent decode(ConsumerRecord<String, String> r) {
        return EventCodec.decode(EventType.ofCeType(TestEvents.header(r, "ce_type")).orElseThrow(), r.value());
    }

    private void send(String topic, JobEvent event) {
        kafka.produceStrings().fromRecords(TestEvents.record(topic, PROVISIONER, event))
                .awaitCompletion(Duration.ofSeconds(30));
    }
}

package io.crossjobs.jobapi.cost;

import io.agroal.api.AgroalDataSource;
import io.crossjobs.events.JobStatus;
import io.crossjobs.events.JobStatusChanged;
import io.crossjobs.events.Placement;
import io.crossjobs.events.Topics;
import io.crossjobs.jobapi.TestEvents;
import io.crossjobs.testsupport.KafkaAndPostgresResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.path.json.config.JsonPathConfig;
import io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.crossjobs.jobapi.TestEvents.as;
import static io.crossjobs.jobapi.TestEvents.asAdmin;
import static io.crossjobs.jobapi.TestEvents.submitAs;
import static io.crossjobs.jobapi.TestEvents.userToken;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code GET /cost} on the real read model: jobs submitted over REST, their status changes consumed from Kafka as
 * the controller sends them, the controller's VMs from {@link FixedControllerCosts}. Other tests' jobs share the
 * database, so the admin's figures are checked for these jobs, not in total.
 */
@QuarkusTest
@QuarkusTestResource(KafkaAndPostgresResource.class)
class CostResourceTest {
    private static final String CONTROLLER = "/crossjobs/controller";
    private static final double M6I_LARGE = 0.096;
    private static final Placement ON_DEMAND = Placement.builder().cloud("aws").region("us-east-1").zone("us-east-1a")
            .instanceType("m6i.large").pricePerHour(M6I_LARGE).build();

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    @Inject
    AgroalDataSource db;

    @Test
    void aUserSeesOwnJobsAnAdminEveryonesAndBothTheController() {
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        String user = "cost-" + suffix;
        String other = "other-" + suffix;
        String ownerToken = userToken(user);
        String otherToken = userToken(other);
        String running = submitAs(ownerToken, "train");
        String done = submitAs(ownerToken, "eval");
        String othersJob = submitAs(otherToken, "theirs");
        Instant now = Instant.now();
        Instant twoHoursAgo = now.minus(Duration.ofHours(2));
        Instant tenHoursAgo = now.minus(Duration.ofHours(10));
        try (KafkaCompanion kafka = new KafkaCompanion(bootstrap)) {
            kafka.produceStrings().fromRecords(
                    status(running, JobStatus.PENDING, JobStatus.RUNNING, 0.0, twoHoursAgo),
                    status(done, JobStatus.PENDING, JobStatus.RUNNING, 0.0, tenHoursAgo.minus(Duration.ofHours(10))),
                    status(done, JobStatus.RUNNING, JobStatus.SUCCEEDED, 0.96, tenHoursAgo),
                    status(othersJob, JobStatus.PENDING, JobStatus.RUNNING, 0.0, tenHoursAgo),
                    status(othersJob, JobStatus.RUNNING, JobStatus.CANCELLED, 0.5, tenHoursAgo.plusSeconds(1))
            ).awaitCompletion(Duration.ofSeconds(30));
        }
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            asAdmin().get("/jobs/" + running).then().body("status", equalTo("RUNNING"));
            asAdmin().get("/jobs/" + done).then().body("status", equalTo("SUCCEEDED"));
            asAdmin().get("/jobs/" + othersJob).then().body("status", equalTo("CANCELLED"));
        });

        JsonPath mine = cost(ownerToken);
        assertEquals(List.of(running, done), mine.getList("jobs.id"), "only the caller's jobs, oldest first");
        double runningCost = mine.getDouble("jobs[0].cost");
        assertTrue(runningCost >= M6I_LARGE * 2 && runningCost < M6I_LARGE * 2.1,
                "2 h on m6i.large and counting: " + runningCost);
        assertEquals("RUNNING", mine.getString("jobs[0].status"));
        assertEquals("m6i.large", mine.getString("jobs[0].instanceType"));
        assertEquals(false, mine.getBoolean("jobs[0].spot"));
        assertEquals(0.96, mine.getDouble("jobs[1].cost"), 1e-9, "a finished job costs what it accrued");
        assertEquals(1, mine.getList("owners").size());
        assertEquals(user, mine.getString("owners[0].owner"));
        assertEquals(2, mine.getInt("owners[0].jobs"));
        assertEquals(runningCost + 0.96, mine.getDouble("owners[0].cost"), 1e-6);
        assertEquals(runningCost + 0.96, mine.getDouble("totalJobCost"), 1e-6);
        assertTrue(kinds(mine).contains("USE_SPOT"), "two on-demand jobs worth a dollar: " + kinds(mine));
        checkController(mine);

        JsonPath all = cost(TestEvents.ADMIN_TOKEN);
        List<String> allIds = all.getList("jobs.id");
        assertTrue(allIds.containsAll(List.of(running, done, othersJob)), "an admin sees every job");
        assertEquals(0.5, ((Number) job(all, othersJob).get("cost")).doubleValue(), 1e-9);
        assertEquals("CANCELLED", job(all, othersJob).get("status"));
        List<String> owners = all.getList("owners.owner");
        assertTrue(owners.containsAll(List.of(user, other)), owners.toString());
        assertTrue(all.getDouble("totalJobCost") >= runningCost + 0.96 + 0.5);
        checkController(all);

        JsonPath theirs = cost(otherToken);
        assertEquals(List.of(othersJob), theirs.getList("jobs.id"));
        assertEquals(0.5, theirs.getDouble("totalJobCost"), 1e-9);
        assertEquals(mine.getDouble("controller.usdPerDay"), theirs.getDouble("controller.usdPerDay"));
        assertTrue(kinds(theirs).contains("CONTROLLER_PLACEMENT"), "controller advice is shown to every caller");

        finish(running);
    }

    /**
     * A two-node job on gcp whose workdir is an upload held in S3 and which copies an S3 bucket, recovered once: each
     * of its 2 launches × 2 nodes fetched the workdir from AWS; the bucket's size is unknown, so it is only counted.
     */
    @Test
    void theEgressOfStagingFromAnotherCloudIsShownPerJobPerOwnerAndInTotal() throws Exception {
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        String token = userToken("egress-" + suffix);
        long workdirBytes = 1_500_000_000L;
        String digest = "sha256:" + UUID.randomUUID().toString().replace("-", "").repeat(2);
        try (Connection c = db.getConnection(); PreparedStatement s = c.prepareStatement("insert into archives "
                + "(digest, bytes, object_uri, uploaded_by, uploaded_at, last_used_at) values (?, ?, ?, 'admin', now(), "
                + "now())")) {
            s.setString(1, digest);
            s.setLong(2, workdirBytes);
            s.setString(3, "s3://crossjobs-store/archives/" + digest.substring(7));
            s.executeUpdate();
        }
        String id = as(token).contentType("text/yaml").body(("""
                        name: staged
                        num_nodes: 2
                        workdir: {archive: "%s"}
                        file_mounts:
                          ~/data: s3://datasets/train
                        run: ls
                        """.formatted(digest)).getBytes(StandardCharsets.UTF_8))
                .when().post("/jobs").then().statusCode(201).extract().path("id");
        Placement gcp = Placement.builder().cloud("gcp").region("us-central1").zone("us-central1-a")
                .instanceType("e2-standard-4").pricePerHour(0.13402).build();
        Instant t = Instant.now().minus(Duration.ofHours(1));
        try (KafkaCompanion kafka = new KafkaCompanion(bootstrap)) {
            kafka.produceStrings().fromRecords(
                    status(id, JobStatus.STARTING, JobStatus.RUNNING, 1, 0, gcp, 0.0, t),
                    status(id, JobStatus.RUNNING, JobStatus.RECOVERING, 1, 1, gcp, 0.05, t.plusSeconds(60)),
                    status(id, JobStatus.STARTING, JobStatus.RUNNING, 2, 1, gcp, 0.05, t.plusSeconds(120)),
                    status(id, JobStatus.RUNNING, JobStatus.SUCCEEDED, 2, 1, gcp, 0.1, t.plusSeconds(180))
            ).awaitCompletion(Duration.ofSeconds(30));
        }
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                asAdmin().get("/jobs/" + id).then().body("status", equalTo("SUCCEEDED")));

        JsonPath r = cost(token);
        double usd = Money.round(0.09 * 2 * 2 * workdirBytes / 1e9);   // AWS's $/GB, 2 launches × 2 nodes
        assertEquals(List.of(id), r.getList("jobs.id"));
        assertEquals(2, r.getInt("jobs[0].egress.launches"));
        assertEquals(4 * workdirBytes, r.getLong("jobs[0].egress.bytes"));
        assertEquals(usd, r.getDouble("jobs[0].egress.cost"), 1e-9);
        assertEquals(1, r.getInt("jobs[0].egress.unsizedBuckets"));
        assertEquals(0.1, r.getDouble("jobs[0].cost"), 1e-9, "the instances' cost, without the egress");
        assertEquals(usd, r.getDouble("owners[0].egressCost"), 1e-9);
        assertEquals(usd, r.getDouble("totalEgressCost"), 1e-9);
        assertEquals(0.1, r.getDouble("totalJobCost"), 1e-9);
    }

    /** Leaves no live job behind: other tests share the database, and a live job keeps the controller busy. */
    private void finish(String id) {
        try (KafkaCompanion kafka = new KafkaCompanion(bootstrap)) {
            kafka.produceStrings().fromRecords(status(id, JobStatus.RUNNING, JobStatus.SUCCEEDED, 0.2, Instant.now()))
                    .awaitCompletion(Duration.ofSeconds(30));
        }
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                asAdmin().get("/jobs/" + id).then().body("status", equalTo("SUCCEEDED")));
    }

    @Test
    void withoutATokenThereIsNoReport() {
        given().get("/cost").then().statusCode(401);
    }

    /** Every caller: the same controller section from the fixed VMs. */
    private static void checkController(JsonPath r) {
        assertEquals("aws", r.getString("controller.cloud"));
        assertEquals("us-east-1", r.getString("controller.region"));
        assertEquals("us-east-1b", r.getString("controller.zone"), "the live VM's");
        assertEquals("4+", r.getString("controller.cpus"));
        assertEquals("16+", r.getString("controller.memory"));
        assertEquals("t3.xlarge", r.getString("controller.instanceType"));
        assertEquals(FixedControllerCosts.T3_XLARGE, r.getDouble("controller.usdPerHour"), 1e-9);
        assertEquals(FixedControllerCosts.T3_XLARGE * 24, r.getDouble("controller.usdPerDay"), 1e-6);
        double ended = FixedControllerCosts.T3_XLARGE * 10 + FixedControllerCosts.E2_STANDARD_4 * 10;
        double cost = r.getDouble("controller.cost");
        assertTrue(cost >= ended + FixedControllerCosts.T3_XLARGE * 10 && cost < ended + FixedControllerCosts.T3_XLARGE
                * 11, "two ended VMs of 10 h and a live one of 10 h and counting: " + cost);
        assertEquals(List.of("cj-controller-1", "cj-controller-2", "cj-controller-3"),
                r.getList("controller.vms.clusterName"));
        assertEquals(10.0, r.getDouble("controller.vms[0].hours"), 1e-9);
        assertEquals(Money.round(FixedControllerCosts.T3_XLARGE * 10), r.getDouble("controller.vms[0].cost"), 1e-9);
        assertEquals("i-0001", r.getString("controller.vms[0].instanceId"));
        assertEquals(FixedControllerCosts.BILLING.vms().get(0).endedAt().toString(),
                r.getString("controller.vms[0].endedAt"));
        assertNull(r.get("controller.vms[2].endedAt"));
        assertEquals(List.of("aws", "gcp", "aws"), r.getList("controller.periods.cloud"));
        assertEquals(List.of(1, 1, 1), r.getList("controller.periods.vms"));
        assertNull(r.get("controller.periods[2].to"));
        Map<String, Object> placement = r.getMap("suggestions.find { it.kind == 'CONTROLLER_PLACEMENT' }");
        assertTrue(((String) placement.get("message")).endsWith(
                "crossjobs controller migrate --cloud gcp --region us-central1"), placement.toString());
        assertEquals(Money.round((FixedControllerCosts.T3_XLARGE - FixedControllerCosts.E2_STANDARD_4) * 24),
                ((Number) placement.get("savingUsd")).doubleValue(), 1e-9);
    }

    /** Decimals as doubles: RestAssured reads them as floats by default, which loses the micro-dollars. */
    private static JsonPath cost(String token) {
        String body = as(token).get("/cost").then().statusCode(200).contentType(ContentType.JSON).extract().asString();
        return JsonPath.from(body).using(new JsonPathConfig(JsonPathConfig.NumberReturnType.DOUBLE));
    }

    private static Map<String, Object> job(JsonPath r, String id) {
        return r.getMap("jobs.find { it.id == '" + id + "' }");
    }

    private static List<String> kinds(JsonPath r) {
        return r.getList("suggestions.kind");
    }

    private static org.apache.kafka.clients.producer.ProducerRecord<String, String> status(
            String id, JobStatus from, JobStatus to, double costSoFar, Instant at) {
        return status(id, from, to, 1, 0, ON_DEMAND, costSoFar, at);
    }

    private static org.apache.kafka.clients.producer.ProducerRecord<String, String> status(
            String id, JobStatus from, JobStatus to, int attempt, int recoveryCount, Placement placement,
            double costSoFar, Instant at) {
        return TestEvents.record(Topics.JOB_STATUS, CONTROLLER, JobStatusChanged.of(id).from(from).to(to)
                .reason("test").attempt(attempt).recoveryCount(recoveryCount).placement(placement).at(at)
                .costSoFar(costSoFar).build());
    }

}

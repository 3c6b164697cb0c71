package io.crossjobs.jobapi.rest;

import io.agroal.api.AgroalDataSource;
import io.crossjobs.events.EventCodec;
import io.crossjobs.events.JobSubmitted;
import io.crossjobs.events.Topics;
import io.crossjobs.jobapi.TestEvents;
import io.crossjobs.testsupport.KafkaAndPostgresResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static io.crossjobs.jobapi.TestEvents.header;
import static io.crossjobs.jobapi.TestEvents.asAdmin;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

@QuarkusTest
@QuarkusTestResource(KafkaAndPostgresResource.class)
class SubmitJobTest {

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    @Inject
    AgroalDataSource db;

    @Test
    void aValidTaskIsStoredAnsweredWith201AndPublishedAsJobSubmitted() {
        var created = asAdmin().contentType(ContentType.JSON).body("""
                        {"name":"hello","resources":{"cloud":"aws","region":null,"zone":null,"instance_type":null,
                         "cpus":"2+","memory":"4+","accelerators":null,"use_spot":false,"disk_size":null,
                         "max_duration":"1h30m","job_recovery":{"reset_max_duration":true}},
                         "num_nodes":1,"envs":{"K":"V"},"setup":"echo setup","run":"echo hello"}""")
                .when().post("/jobs")
                .then().statusCode(201)
                .contentType(ContentType.JSON)
                .body("id", matchesPattern("[0-9]+"))
                .body("name", equalTo("hello"))
                .body("status", equalTo("PENDING"))
                .body("owner", equalTo("admin"))
                .body("resources.cloud", equalTo("aws"))
                .body("resources.cpus", equalTo("2+"))
                .body("resources.instanceType", nullValue())
                .body("resources.maxDuration", equalTo("1h30m"))
                .body("numNodes", equalTo(1))
                .body("cloud", nullValue())
                .extract();
        String id = created.path("id");
        assertTrue(created.header("Location").endsWith("/jobs/" + id), created.header("Location"));

        asAdmin().get("/jobs/" + id).then().statusCode(200)
                .body("id", equalTo(id)).body("status", equalTo("PENDING")).body("submittedAt", endsWith("Z"));

        List<ConsumerRecord<String, String>> records = TestEvents.awaitRecords(bootstrap, Topics.JOB_REQUESTS, id, 1);
        assertEquals(1, records.size(), "records of job " + id);
        ConsumerRecord<String, String> record = records.get(0);
        assertEquals("crossjobs.job.submitted.v1", header(record, "ce_type"));
        assertEquals("/crossjobs/job-api", header(record, "ce_source"));
        assertEquals(id, header(record, "ce_subject"));
        JobSubmitted event = (JobSubmitted) EventCodec.decode(header(record, "ce_type"), record.value());
        assertEquals(id, event.jobId());
        assertEquals("echo hello", event.task().run());
        assertEquals("echo setup", event.task().setup());
        assertEquals(Map.of("K", "V"), event.task().envs());
        assertEquals("aws", event.task().resources().cloud());
        assertEquals("4+", event.task().resources().memory());
        assertEquals(5400L, event.task().resources().maxDurationSeconds());
        assertTrue(event.task().resources().recovery().resetMaxDuration());
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertEquals(0, TestEvents.count(db,
                        "select count(*) from outbox where job_id = '" + id + "' and published_at is null")));
    }

    @Test
    void aTaskWithoutNameGetsOneFromItsId() {
        String id = asAdmin().contentType(ContentType.JSON).body("{\"run\":\"true\"}")
                .when().post("/jobs")
                .then().statusCode(201).body("resources.useSpot", equalTo(false)).extract().path("id");
        asAdmin().get("/jobs/" + id).then().body("name", equalTo("job-" + id));
    }

    @ParameterizedTest(name = "{0} -> 400 naming {1}")
    @CsvSource(delimiter = '|', textBlock = """
            {"run":"x","colud":"aws"}                                  | colud
            {"run":"x","resources":{"cloud":"aws","use_spto":true}}    | resources.use_spto
            {"run":"x","resources":{"cpus":"two"}}                     | resources.cpus
            {"run":"x","resources":{"memory":"4 GiB"}}                 | resources.memory
            {"run":"x","resources":{"cloud":"ibm"}}                    | resources.cloud
            {"run":"x","num_nodes":0}                                  | num_nodes
            {"run":"x","num_nodes":"two"}                              | num_nodes
            {"run":"x","num_nodes":100000}                             | num_nodes
            {"run":"x","name":"9 lives"}                               | name
            {"run":"x","envs":{"MY-VAR":"1"}}                          | envs.MY-VAR
            {"name":"null-env","envs":{"TOKEN":null}}                  | envs.TOKEN
            {"run":"x","resources":"aws"}                              | resources
            {"run":"x","resources":{"max_duration":"2 hours"}}         | resources.max_duration
            {"run":"x","resources":{"max_duration":"366d"}}            | resources.max_duration
            {"run":"x","resources":{"max_duration":0}}                 | resources.max_duration
            {"run":"x","resources":{"max_duration":1.5}}               | resources.max_duration
            {"run":"x","resources":{"any_of":[{"max_duration":"1h"}]}} | resources.any_of[0].max_duration
            """)
    void invalidInputIsAProblemNamingTheFieldAndStoresNothing(String body, String field) throws Exception {
        long jobs = TestEvents.count(db, "select count(*) from jobs");
        long outbox = TestEvents.count(db, "select count(*) from outbox");

        asAdmin().contentType(ContentType.JSON).body(body)
                .when().post("/jobs")
                .then().statusCode(400)
                .contentType("application/problem+json")
                .body("status", equalTo(400))
                .body("title", equalTo("Invalid input"))
                .body("type", equalTo("urn:crossjobs:problem:invalid-input"))
                .body("errors.field", hasItem(field));

        assertEquals(jobs, TestEvents.count(db, "select count(*) from jobs"));
        assertEquals(outbox, TestEvents.count(db, "select count(*) from outbox"));
    }

    @Test
    void malformedJsonAndAMissingBodyAreProblemsToo() {
        asAdmin().contentType(ContentType.JSON).body("{\"run\": ")
                .when().post("/jobs")
                .then().statusCode(400).contentType("application/problem+json")
                .body("type", equalTo("urn:crossjobs:problem:malformed-json"));
        asAdmin().contentType(ContentType.JSON)
                .when().post("/jobs")
                .then().statusCode(400).contentType("application/problem+json")
                .body("errors.field", hasItem("body"));
    }

    @Test
    void anUnknownJobIs404Problem() {
        asAdmin().get("/jobs/987654321").then().statusCode(404).contentType("application/problem+json")
                .body("status", equalTo(404)).body("detail", equalTo("job 987654321 not found"));
        asAdmin().get("/jobs/not-a-number/events").then().statusCode(404).contentType("application/problem+json");
    }

    @Test
    void readinessIncludesKafkaAndTheDatabase() {
        asAdmin().get("/q/health/ready").then().statusCode(200)
                .body("checks.name", hasItems("SmallRye Reactive Messaging - readiness check",
                        "Reactive PostgreSQL connections health check"));
    }
}

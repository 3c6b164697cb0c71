package io.crossjobs.jobapi.archive;

import io.agroal.api.AgroalDataSource;
import io.crossjobs.events.EventCodec;
import io.crossjobs.events.FileMount;
import io.crossjobs.events.InternalAuth;
import io.crossjobs.events.JobSubmitted;
import io.crossjobs.events.Topics;
import io.crossjobs.jobapi.TestEvents;
import io.crossjobs.testsupport.KafkaAndPostgresResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.List;
import java.util.UUID;

import static io.crossjobs.jobapi.TestEvents.asAdmin;
import static io.crossjobs.jobapi.TestEvents.header;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * job-api's side of uploads: who may upload, what is refused before anything is stored, and how a submission names
 * what job-api holds. Storing in the object store itself needs a provisioner: the stack's black-box tests show it.
 */
@QuarkusTest
@QuarkusTestResource(KafkaAndPostgresResource.class)
class ArchiveUploadTest {
    @Inject
    AgroalDataSource db;

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    @ConfigProperty(name = "jobapi.archives.max-bytes")
    long maxBytes;

    @TestHTTPResource("/")
    java.net.URL base;

    private static String digestOf(byte[] bytes) {
        return "sha256:" + InternalAuth.sha256Hex(bytes);
    }

    @Test
    void anUploadNeedsATokenAndADigestThatMatchesItsBytes() {
        byte[] body = "hello".getBytes(StandardCharsets.UTF_8);
        given().body(body).when().put("/archives/" + digestOf(body)).then().statusCode(401);
        asAdmin().body(body).when().put("/archives/sha256:XYZ").then().statusCode(400)
                .body("errors[0].field", equalTo("digest"));
        asAdmin().body(body).when().put("/archives/sha256:" + "0".repeat(64)).then().statusCode(400)
                .body("errors[0].field", equalTo("digest"))
                .body("errors[0].message", containsString(digestOf(body)));
        asAdmin().when().head("/archives/" + digestOf(body)).then().statusCode(404);
    }

    @Test
    void anUploadOverTheLimitIsRefusedBeforeItIsRead() throws Exception {
        // a raw request: HTTP clients compute Content-Length from the body they send, and this one declares more
        try (Socket socket = new Socket(base.getHost(), base.getPort())) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(("PUT /archives/sha256:" + "1".repeat(64) + " HTTP/1.1\r\n"
                    + "Host: 127.0.0.1\r\nConnection: close\r\nAuthorization: Bearer " + TestEvents.ADMIN_TOKEN + "\r\n"
                    + "Content-Length: " + (maxBytes + 1) + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            // job-api answers at once and closes the connection, the declared body never sent
            String answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(answer.startsWith("HTTP/1.1 413"), answer);
            assertTrue(answer.contains(String.valueOf(maxBytes)), "the answer names the limit: " + answer);
        }
    }

    @Test
    void aSubmissionNamingAnUploadJobApiDoesNotHoldIsRefusedByFieldAndDigest() throws Exception {
        String unknown = "sha256:" + "2".repeat(64);
        long jobs = TestEvents.count(db, "select count(*) from jobs");
        asAdmin().contentType("text/yaml").body(("workdir: {archive: \"" + unknown + "\"}\nrun: ls\n")
                        .getBytes(StandardCharsets.UTF_8))
                .when().post("/jobs").then().statusCode(400)
                .body("errors[0].field", equalTo("workdir"))
                .body("errors[0].message", containsString(unknown + " is not held by job-api"));
        assertEquals(jobs, TestEvents.count(db, "select count(*) from jobs"), "nothing was stored");
    }

    @Test
    void aHeldUploadIsNamedInTheTaskByItsObjectAndSize() throws Exception {
        String digest = "sha256:" + UUID.randomUUID().toString().replace("-", "").repeat(2);
        String object = "s3://crossjobs-store/" + ArchiveStore.FOLDER + digest.substring(7);
        try (Connection c = db.getConnection(); PreparedStatement s = c.prepareStatement("insert into archives "
                + "(digest, bytes, object_uri, uploaded_by, uploaded_at, last_used_at) values (?, 1234, ?, 'admin', "
                + "now() - interval '30 days', now() - interval '30 days')")) {
            s.setString(1, digest);
            s.setString(2, object);
            s.executeUpdate();
        }
        asAdmin().when().head("/archives/" + digest).then().statusCode(200).header("X-Archive-Bytes", "1234");

        String id = asAdmin().contentType("text/yaml").body(("""
                        workdir: {archive: "%s"}
                        file_mounts:
                          ~/data: s3://datasets/train
                        run: ls
                        """.formatted(digest)).getBytes(StandardCharsets.UTF_8))
                .when().post("/jobs").then().statusCode(201).extract().path("id");

        List<ConsumerRecord<String, String>> records = TestEvents.awaitRecords(bootstrap, Topics.JOB_REQUESTS, id, 1);
        JobSubmitted event = (JobSubmitted) EventCodec.decode(header(records.get(0), "ce_type"), records.get(0).value());
        assertEquals(List.of(new FileMount(FileMount.WORKDIR, FileMount.Source.ARCHIVE, object, 1234),
                new FileMount("~/data", FileMount.Source.BUCKET, "s3://datasets/train", 0)),
                event.tasks().get(0).fileMounts());
        assertEquals(1, TestEvents.count(db, "select count(*) from archives where digest = '" + digest
                + "' and last_used_at > now() - interval '1 minute'"), "naming it counts as a use");
    }
}

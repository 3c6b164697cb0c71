package io.crossjobs.stack;

import io.crossjobs.events.EventType;
import io.crossjobs.events.Topics;
import io.restassured.path.json.JsonPath;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * One unreadable record on each topic a service consumes, among 100 jobs: each is parked with its reason and listed
 * to admins, the job it belongs to ends FAILED_CONTROLLER (CONTROLLER_ERROR) with no live VM, and every other job
 * SUCCEEDS: no channel stops.
 */
@ExtendWith(LocalStack.class)
class PoisonEventsIT {
    private static final int JOBS = 100;
    private static final Duration TIMEOUT = Duration.ofMinutes(4);
    /** The topic each poisoned job gets its bad record on, and the service that consumes it there. */
    private static final Map<String, String> POISONED_TOPICS = new LinkedHashMap<>();

    static {
        POISONED_TOPICS.put(Topics.JOB_REQUESTS, EventType.CANCEL_REQUESTED.ceType());          // controller
        POISONED_TOPICS.put(Topics.PROVISION_EVENTS, EventType.JOB_EXITED.ceType());            // controller
        POISONED_TOPICS.put(Topics.provisionCommands("aws"), EventType.LAUNCH_CLUSTER.ceType()); // provisioner-aws
        POISONED_TOPICS.put(Topics.JOB_STATUS, EventType.JOB_STATUS_CHANGED.ceType());          // job-api
        POISONED_TOPICS.put(Topics.JOB_LOGS, EventType.LOG_CHUNK.ceType());                     // job-api
    }

    private final JobApiClient api = JobApiClient.asAdmin();
    private final MockCloudClient cloud = new MockCloudClient(LocalStack.config());

    @Test
    void aBadRecordOnAnyTopicFailsOnlyItsOwnJobAndTheLineGoesOn() throws Exception {
        // the jobs to poison run long enough to be caught RUNNING; the others are done in a second
        Map<String, String> poisoned = new LinkedHashMap<>();
        for (String topic : POISONED_TOPICS.keySet()) {
            poisoned.put(api.submit("""
                    {"name":"poisoned","resources":{"cloud":"aws","cpus":"2+"},"run":"sleep 120"}"""), topic);
        }
        List<String> others = new ArrayList<>();
        for (int i = poisoned.size(); i < JOBS; i++) {
            others.add(api.submit("""
                    {"name":"bystander-%d","resources":{"cpus":"2+"},"run":"echo bystander %d"}""".formatted(i, i)));
        }
        for (String job : poisoned.keySet()) api.awaitStatus(job, "RUNNING", TIMEOUT);

        try (KafkaProducer<String, String> kafka = producer()) {
            for (Map.Entry<String, String> p : poisoned.entrySet()) {
                kafka.send(unreadable(p.getValue(), p.getKey(), POISONED_TOPICS.get(p.getValue())))
                        .get(30, TimeUnit.SECONDS);
            }
            // the keeper's heartbeats: a record of no job, parked and listed all the same
            kafka.send(unreadable(Topics.CONTROLLER_HEARTBEATS, "controller-poison",
                    EventType.CONTROLLER_HEARTBEAT.ceType())).get(30, TimeUnit.SECONDS);
        }

        for (Map.Entry<String, String> p : poisoned.entrySet()) {
            String job = p.getKey();
            assertEquals("FAILED_CONTROLLER", api.awaitTerminal(job, TIMEOUT), "poisoned on " + p.getValue());
            JsonPath view = api.job(job);
            assertEquals("CONTROLLER_ERROR", view.getString("failureReason"));
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                    assertEquals(List.of(), cloud.aliveInstancesOf(job), "no live VM of job " + job));
        }
        Map<String, String> statuses = api.awaitTerminal(others, TIMEOUT);
        for (String job : others) assertEquals("SUCCEEDED", statuses.get(job), "job " + job);

        List<Map<String, Object>> parked = api.parkedEvents();
        for (Map.Entry<String, String> p : poisoned.entrySet()) {
            Map<String, Object> record = parked.stream()
                    .filter(r -> p.getKey().equals(r.get("key")) && p.getValue().equals(r.get("originTopic")))
                    .findFirst().orElseThrow(() -> new AssertionError("not parked: " + p + " in " + parked));
            assertTrue(String.valueOf(record.get("reason")).contains("unreadable"), String.valueOf(record));
        }
        assertTrue(parked.stream().anyMatch(r -> "controller-poison".equals(r.get("key"))
                && Topics.CONTROLLER_HEARTBEATS.equals(r.get("originTopic"))), String.valueOf(parked));
    }

    /** A CloudEvent of {@code type} whose data is not JSON: no consumer can read it, however often it tries. */
    private static ProducerRecord<String, String> unreadable(String topic, String key, String type) {
        RecordHeaders headers = new RecordHeaders();
        headers.add("ce_specversion", bytes("1.0")).add("ce_id", bytes(UUID.randomUUID().toString()))
                .add("ce_type", bytes(type)).add("ce_source", bytes("/crossjobs/poison-test"));
        return new ProducerRecord<>(topic, null, key, "{not json", headers);
    }

    private static KafkaProducer<String, String> producer() {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, LocalStack.config().kafkaBootstrap());
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        return new KafkaProducer<>(p);
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}

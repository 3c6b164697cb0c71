package io.crossjobs.stack;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.crossjobs.events.JobStatus;
import io.crossjobs.events.Topics;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.StringDeserializer;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.UUID;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * An outside subscriber of {@code job-status}, as a user's backend would be: a plain Kafka consumer in its
 * own group that reads the CloudEvents headers and the JSON value, nothing from crossjobs' code. It keeps when
 * each change arrived, which the chaos suite measures stalls against, and rides out broker restarts by itself.
 */
final class StatusSubscriber implements AutoCloseable {
    /** One status change; {@code to} and {@code cloud} (the attempt's placement, null before one) from the JSON. */
    record StatusEvent(String key, String ceType, String ceId, String ceSubject, String json, long receivedNanos,
                       String to, String cloud) { }

    private static final ObjectMapper JSON = new ObjectMapper();

    private final List<StatusEvent> received = new CopyOnWriteArrayList<>();
    private final Thread poller;
    private volatile boolean running = true;

    StatusSubscriber(String bootstrap) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.GROUP_ID_CONFIG, "it-subscriber-" + UUID.randomUUID());
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        KafkaConsumer<String, String> consumer = new KafkaConsumer<>(p);
        consumer.subscribe(List.of(Topics.JOB_STATUS));
        poller = new Thread(() -> {
            try (consumer) {
                while (running) {
                    for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
                        received.add(event(System.nanoTime(), r));
                    }
                }
            }
        }, "status-subscriber");
        poller.setDaemon(true);
        poller.start();
    }

    private static StatusEvent event(long now, ConsumerRecord<String, String> r) {
        String to = null;
        String cloud = null;
        try {
            JsonNode n = JSON.readTree(r.value());
            to = n.path("to").asText(null);
            cloud = n.path("placement").path("cloud").isTextual() ? n.path("placement").path("cloud").asText() : null;
        } catch (Exception e) {
            // an unreadable value still counts as an arrival; its fields stay null
        }
        return new StatusEvent(r.key(), header(r, "ce_type"), header(r, "ce_id"), header(r, "ce_subject"), r.value(),
                now, to, cloud);
    }

    int count() { return received.size(); }

    /** Jobs that reached a terminal status (as far as job-status has told so far). */
    Set<String> finishedJobs() {
        return received.stream().filter(e -> e.to() != null && JobStatus.valueOf(e.to()).isTerminal())
                .map(StatusEvent::key).collect(Collectors.toSet());
    }

    /** The first change received at or after {@code sinceNanos} that matches. */
    Optional<StatusEvent> firstSince(long sinceNanos, Predicate<StatusEvent> matching) {
        return received.stream().filter(e -> e.receivedNanos() >= sinceNanos && matching.test(e)).findFirst();
    }

    List<StatusEvent> of(String jobId) {
        return received.stream().filter(e -> jobId.equals(e.key())).toList();
    }

    /** The {@code to} status of each of the job's status events, in the order they arrived. */
    List<String> statusesOf(String jobId) {
        return of(jobId).stream().map(e -> e.to() == null ? "<unreadable>" : e.to()).toList();
    }

    private static String header(ConsumerRecord<?, ?> r, String name) {
        Header h = r.headers().lastHeader(name);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        poller.join(5_000);
    }
}

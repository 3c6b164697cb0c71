package io.crossjobs.stack;

import io.crossjobs.events.Topics;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.StringDeserializer;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * An outside subscriber of {@code job-status}, as a user's backend would be: a plain Kafka consumer in its
 * own group that reads the CloudEvents headers and the JSON value, nothing from crossjobs' code.
 */
final class StatusSubscriber implements AutoCloseable {
    record StatusEvent(String key, String ceType, String ceId, String ceSubject, String json) { }

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
                        received.add(new StatusEvent(r.key(), header(r, "ce_type"), header(r, "ce_id"),
                                header(r, "ce_subject"), r.value()));
                    }
                }
            }
        }, "status-subscriber");
        poller.setDaemon(true);
        poller.start();
    }

    List<StatusEvent> of(String jobId) {
        return received.stream().filter(e -> jobId.equals(e.key())).toList();
    }

    /** The {@code to} status of each of the job's status events, in the order they arrived. */
    List<String> statusesOf(String jobId) {
        return of(jobId).stream().map(e -> field(e.json(), "to")).toList();
    }

    private static String field(String json, String name) {
        try {
            Map<?, ?> m = new com.fasterxml.jackson.databind.ObjectMapper().readValue(json, Map.class);
            return String.valueOf(m.get(name));
        } catch (Exception e) {
            return "<unreadable>";
        }
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

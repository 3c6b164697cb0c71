package io.crossjobs.stack;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.crossjobs.events.JobStatus;
import io.crossjobs.events.Topics;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;

/**
 * Every {@code job-status} change as it arrives, with the time it arrived: what the chaos suite measures
 * stalls against. A plain Kafka consumer in its own group; it rides out broker restarts by itself.
 */
final class ProgressWatch implements AutoCloseable {
    /** One status change: {@code cloud} is the attempt's placement, null before one is chosen. */
    record Change(long receivedNanos, String jobId, String to, String cloud) { }

    private static final ObjectMapper JSON = new ObjectMapper();
    private final List<Change> changes = new CopyOnWriteArrayList<>();
    private final Thread poller;
    private volatile boolean running = true;

    ProgressWatch(String bootstrap) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.GROUP_ID_CONFIG, "chaos-watch-" + UUID.randomUUID());
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        KafkaConsumer<String, String> consumer = new KafkaConsumer<>(p);
        consumer.subscribe(List.of(Topics.JOB_STATUS));
        poller = new Thread(() -> {
            try (consumer) {
                while (running) {
                    for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
                        changes.add(parse(System.nanoTime(), r.key(), r.value()));
                    }
                }
            }
        }, "chaos-progress-watch");
        poller.setDaemon(true);
        poller.start();
    }

    private static Change parse(long now, String key, String value) {
        try {
            JsonNode n = JSON.readTree(value);
            JsonNode cloud = n.path("placement").path("cloud");
            return new Change(now, key, n.path("to").asText(null), cloud.isTextual() ? cloud.asText() : null);
        } catch (Exception e) {
            return new Change(now, key, null, null);
        }
    }

    int count() { return changes.size(); }

    /** Jobs that reached a terminal status (as far as job-status has told so far). */
    Set<String> finishedJobs() {
        return changes.stream().filter(c -> c.to() != null && JobStatus.valueOf(c.to()).isTerminal())
                .map(Change::jobId).collect(Collectors.toSet());
    }

    /** The first change received at or after {@code sinceNanos} that matches. */
    Optional<Change> firstSince(long sinceNanos, Predicate<Change> matching) {
        return changes.stream().filter(c -> c.receivedNanos() >= sinceNanos && matching.test(c)).findFirst();
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        poller.join(5_000);
    }
}

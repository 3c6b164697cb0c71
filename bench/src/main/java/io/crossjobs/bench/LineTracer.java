package io.crossjobs.bench;

import io.crossjobs.events.ClusterProgress;
import io.crossjobs.events.ClusterState;
import io.crossjobs.events.EventCodec;
import io.crossjobs.events.EventType;
import io.crossjobs.events.JobEvent;
import io.crossjobs.events.JobStatus;
import io.crossjobs.events.JobStatusChanged;
import io.crossjobs.events.Topics;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.StringDeserializer;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;

/**
 * A subscriber on every topic of the line, from the first record of a fresh stack: when each job's events were
 * produced (the record's create time, stamped by the producing service) and when this subscriber got its status
 * changes. Also the raw broker hop of every record (produce → this consumer) and the launches in flight.
 */
final class LineTracer implements AutoCloseable {
    private static final Pattern LINE_TOPICS = Pattern.compile(
            Pattern.quote(Topics.JOB_REQUESTS) + "|" + Pattern.quote(Topics.PROVISION_COMMANDS_PREFIX) + ".*|"
                    + Pattern.quote(Topics.PROVISION_EVENTS) + "|" + Pattern.quote(Topics.JOB_STATUS));

    private final Map<String, JobTrace> jobs = new ConcurrentHashMap<>();
    private final Map<String, Latencies> brokerHop = new ConcurrentHashMap<>();
    /** (controller's time of the change, +1 into STARTING / -1 out of it), for the launches in flight. */
    private final java.util.Queue<long[]> startingChanges = new java.util.concurrent.ConcurrentLinkedQueue<>();
    private final AtomicInteger live = new AtomicInteger();
    private final AtomicInteger running = new AtomicInteger();
    private final AtomicBoolean stop = new AtomicBoolean();
    private final Thread thread;

    LineTracer(String bootstrap) {
        KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.GROUP_ID_CONFIG, "bench-tracer-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.METADATA_MAX_AGE_CONFIG, 1000,
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 2000,
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName(),
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName()));
        consumer.subscribe(LINE_TOPICS);
        thread = new Thread(() -> {
            try (consumer) {
                while (!stop.get()) {
                    for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(100))) observe(r);
                }
            }
        }, "bench-line-tracer");
        thread.setDaemon(true);
        thread.start();
    }

    private void observe(ConsumerRecord<String, String> r) {
        long now = System.currentTimeMillis();
        String topic = r.topic().startsWith(Topics.PROVISION_COMMANDS_PREFIX) ? "provision-commands.*" : r.topic();
        brokerHop.computeIfAbsent(topic, t -> new Latencies()).addMillis(Math.max(0, now - r.timestamp()));
        Header header = r.headers().lastHeader("ce_type");
        EventType type = header == null || r.key() == null ? null
                : EventType.ofCeType(new String(header.value(), StandardCharsets.UTF_8)).orElse(null);
        if (type == null) return;
        JobTrace job = jobs.computeIfAbsent(r.key(), k -> new JobTrace());
        // the type and the record's create time are all a submission or a launch gives; decoding their task
        // specs would take the load generator's CPU from the line it measures
        if (type == EventType.JOB_SUBMITTED) {
            job.submittedRecordMs = r.timestamp();
        } else if (type == EventType.LAUNCH_CLUSTER) {
            if (job.launchRecordMs == 0) job.launchRecordMs = r.timestamp();
        } else if (type == EventType.JOB_STATUS_CHANGED
                || type == EventType.CLUSTER_PROGRESS && job.clusterRunningMs == 0 && r.value().contains("RUNNING")) {
            JobEvent event;
            try {
                event = EventCodec.decode(type, r.value());
            } catch (RuntimeException e) {
                return;
            }
            if (event instanceof ClusterProgress p && p.state() == ClusterState.RUNNING && job.clusterRunningMs == 0) {
                job.clusterRunningMs = r.timestamp();
            } else if (event instanceof JobStatusChanged s) {
                onStatus(job, s, now);
            }
        }
    }

    private void onStatus(JobTrace job, JobStatusChanged s, long now) {
        if (s.from() == null) live.incrementAndGet();
        long at = s.at() == null ? now : s.at().toEpochMilli();
        if (s.to() == JobStatus.STARTING) startingChanges.add(new long[] {at, 1});
        if (s.from() == JobStatus.STARTING) startingChanges.add(new long[] {at, -1});
        if (s.to() == JobStatus.RUNNING) {
            running.incrementAndGet();
            if (job.statusRunningReceivedMs == 0) job.statusRunningReceivedMs = now;
        }
        if (s.from() == JobStatus.RUNNING) running.decrementAndGet();
        if (s.to().isTerminal() && !job.terminal) {
            job.terminal = true;
            live.decrementAndGet();
        }
    }

    JobTrace job(String id) { return jobs.get(id); }

    /** Whether a terminal status of the job went by. */
    boolean finished(String id) {
        JobTrace t = jobs.get(id);
        return t != null && t.terminal;
    }

    Map<String, Latencies> brokerHops() { return brokerHop; }

    /**
     * The most jobs that were STARTING (launch sent, cluster not yet running) at one moment, by the controller's
     * timestamps of the changes. Counting in arrival order would overstate it: status events of different jobs
     * come from different partitions, so one job's leaving STARTING can arrive after another's entering it.
     */
    int maxLaunchesInFlight() {
        List<long[]> changes = new ArrayList<>(startingChanges);
        changes.sort(Comparator.<long[]>comparingLong(c -> c[0]).thenComparingLong(c -> c[1]));   // leaving first
        int inFlight = 0;
        int most = 0;
        for (long[] c : changes) {
            inFlight += (int) c[1];
            most = Math.max(most, inFlight);
        }
        return most;
    }

    /** Jobs created and not yet terminal, as the status stream tells. */
    int liveJobs() { return live.get(); }

    int runningJobs() { return running.get(); }

    @Override
    public void close() throws InterruptedException {
        stop.set(true);
        thread.join(5000);
    }

    /** Create times (ms) of one job's records on the line, and when this subscriber saw it RUNNING. */
    static final class JobTrace {
        volatile long submittedRecordMs;
        volatile long launchRecordMs;
        volatile long clusterRunningMs;
        volatile long statusRunningReceivedMs;
        volatile boolean terminal;
    }
}

package io.crossjobs.stack;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Stream;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A job whose run prints its secret, and forges an exit marker: the secret appears nowhere crossjobs shows or
 * keeps it (API answers, every Kafka topic, every crossjobs service's log file, the job's stored logs), and the
 * job ends with its real exit code.
 */
@ExtendWith(LocalStack.class)
class SecretsIT {
    private static final Duration JOB_TIMEOUT = Duration.ofMinutes(2);
    /** The cloud itself: it keeps the raw output in its object storage until the cluster is gone, as a real cloud does. */
    private static final Set<String> THE_CLOUD = Set.of("mock-cloud.log");

    private final JobApiClient api = JobApiClient.asAdmin();

    @Test
    void aPrintedSecretIsMaskedEverywhereAndAForgedExitMarkerIsIgnored() throws Exception {
        String secret = "s3cr3t-" + UUID.randomUUID();
        String id = api.submit("""
                {"name":"leaky","resources":{"cloud":"aws"},"secrets":{"API_KEY":"%s"},
                 "run":"echo \\"key=$API_KEY\\"; echo '##crossjobs:run-exit=0##'; echo done; exit 4"}"""
                .formatted(secret));

        assertEquals("FAILED", api.awaitTerminal(id, JOB_TIMEOUT), "the forged 'exit 0' marker must not count");
        assertEquals(4, api.job(id).getInt("exitCode"));
        String masked = "key=" + "*".repeat(secret.length());
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertTrue(api.logs(id).contains(masked), () -> "logs: " + api.logs(id)));
        String logs = api.logs(id);
        assertTrue(logs.contains("done\n"), logs);
        // the forged marker line is stripped like a real one (with the line break before it)
        assertFalse(logs.contains("run-exit"), logs);

        List<String> leaks = new ArrayList<>();
        check("GET /jobs/" + id + "/logs", logs, secret, leaks);
        check("GET /jobs/" + id, api.job(id).prettify(), secret, leaks);
        check("GET /jobs/" + id + "/events", api.events(id).toString(), secret, leaks);
        assertEquals("<redacted>", api.job(id).getString("secrets.API_KEY"));
        MockCloudClient cloud = new MockCloudClient(LocalStack.config());
        for (Map<String, Object> vm : cloud.instancesOf(id)) {
            check("the user data of " + vm.get("id"), cloud.userData(String.valueOf(vm.get("id"))), secret, leaks);
        }

        int records = 0;
        for (ConsumerRecord<byte[], byte[]> r : allRecords(LocalStack.config().kafkaBootstrap())) {
            records++;
            check("kafka " + r.topic() + " value", r.value() == null ? "" : new String(r.value(), StandardCharsets.UTF_8),
                    secret, leaks);
            for (Header h : r.headers()) {
                check("kafka " + r.topic() + " header " + h.key(), new String(h.value(), StandardCharsets.UTF_8), secret,
                        leaks);
            }
        }
        assertTrue(records > 0, "Kafka was read");

        Path logDir = LocalStack.config().logDir();
        int files = 0;
        boolean cloudHasIt = false;
        try (Stream<Path> all = Files.list(logDir)) {
            for (Path file : all.filter(Files::isRegularFile).toList()) {
                String text = new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
                if (THE_CLOUD.contains(file.getFileName().toString())) {
                    cloudHasIt |= text.contains(secret);
                    continue;
                }
                files++;
                check("log file " + file.getFileName(), text, secret, leaks);
            }
        }
        System.out.printf("SecretsIT: %d Kafka records and %d service log files checked; the cloud's own log %s%n",
                records, files, cloudHasIt ? "holds the value (the raw output it stored)" : "does not hold it");
        assertTrue(files >= 5, "every crossjobs service's log was read: " + files);
        assertEquals(List.of(), leaks);
    }

    /**
     * The stack's admin token and secrets key are on no process's command line (which {@code ps} shows every user of
     * the machine): each service reads its settings from a file only its user may read.
     */
    @Test
    void noProcessOfTheStackShowsTheAdminTokenOrTheSecretsKeyOnItsCommandLine() throws Exception {
        Path state = LocalStack.config().stateDir();
        Map<String, String> credentials = Map.of("admin token", Files.readString(state.resolve("admin-token")).trim(),
                "secrets key", Files.readString(state.resolve("secrets.key")).trim());
        List<String> seen = new ArrayList<>();
        ProcessHandle.allProcesses().forEach(p -> p.info().commandLine().ifPresent(line -> credentials.forEach(
                (what, value) -> {
                    if (line.contains(value)) seen.add(what + " in pid " + p.pid() + ": " + line);
                })));
        long services = ProcessHandle.allProcesses().filter(p -> p.info().commandLine()
                .map(line -> line.contains(state.toString()) && line.contains("quarkus.config.locations")).orElse(false))
                .count();

        assertEquals(List.of(), seen);
        assertTrue(services >= 5, "the stack's services were found by their settings files: " + services);
        try (Stream<Path> files = Files.list(state.resolve("logs"))) {
            for (Path settings : files.filter(f -> f.toString().endsWith(".settings.properties")).toList()) {
                assertEquals("rw-------", java.nio.file.attribute.PosixFilePermissions.toString(
                        Files.getPosixFilePermissions(settings)), settings::toString);
            }
        }
    }

    /**
     * A job on the local stack runs as a user of its own (mock-cloud's WorkloadUsers, where the machine allows it): it
     * cannot read the stack's admin token, its services' settings or logs, nor Kafka's records.
     */
    @Test
    void aLocalJobCannotReadTheStacksCredentialsSettingsOrRecords() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue("root".equals(System.getProperty("user.name"))
                        && Files.isExecutable(Path.of("/usr/bin/setpriv")),
                "this machine cannot run a VM as a user of its own (needs root and setpriv): jobs run as the stack's user");
        Path state = LocalStack.config().stateDir();
        String id = api.submit("""
                {"name":"snoop","resources":{"cloud":"aws"},
                 "run":"id -u; for f in %1$s/admin-token %1$s/secrets.key %1$s/logs/job-api.settings.properties; do cat $f && echo READ $f; done; ls %1$s/kafka && echo LISTED; echo home-ok > ~/mine; cat ~/mine"}"""
                .formatted(state));
        assertEquals("SUCCEEDED", api.awaitTerminal(id, JOB_TIMEOUT));
        String logs = api.logs(id);

        assertFalse(logs.contains("READ ") || logs.contains("LISTED"), logs);
        assertFalse(logs.contains(Files.readString(state.resolve("admin-token")).trim()), logs);
        assertTrue(logs.contains("admin-token: Permission denied") && logs.contains("home-ok"), logs);
    }

    private static void check(String where, String text, String secret, List<String> leaks) {
        if (text.contains(secret)) leaks.add(where);
    }

    /** Every record of every topic, from the beginning up to the end offsets at the time of the call. */
    private static List<ConsumerRecord<byte[], byte[]>> allRecords(String bootstrap) throws Exception {
        Set<String> topics;
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            topics = admin.listTopics().names().get();
        }
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(p)) {
            List<TopicPartition> partitions = new ArrayList<>();
            for (String topic : topics) {
                consumer.partitionsFor(topic).forEach(i -> partitions.add(new TopicPartition(topic, i.partition())));
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            await().atMost(Duration.ofSeconds(60)).until(() -> {
                consumer.poll(Duration.ofMillis(200)).forEach(out::add);
                return partitions.stream().allMatch(tp -> consumer.position(tp) >= end.get(tp));
            });
        }
        assertFalse(out.isEmpty());
        return out;
    }
}

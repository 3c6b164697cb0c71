package io.crossjobs.stack;

import io.crossjobs.testsupport.Ports;
import io.crossjobs.testsupport.ProjectRoot;
import io.crossjobs.testsupport.ServiceProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Kafka security settings a user gives a service reach its Kafka clients: job-api started with
 * {@code kafka.security.protocol=SSL} (the env {@code KAFKA_SECURITY_PROTOCOL=SSL} is the same key) opens its
 * Kafka connections with a TLS handshake. A plain socket stands in for the broker and reads the first bytes.
 */
@ExtendWith(LocalStack.class)
class KafkaTlsIT {

    @Test
    void kafkaSecurityProtocolSslMakesTheClientsSpeakTls() throws Exception {
        StackConfig config = LocalStack.config();
        try (ServerSocket broker = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            broker.setSoTimeout(180_000);
            Map<String, String> settings = probeSettings(config, "127.0.0.1:" + broker.getLocalPort());
            settings.put("kafka.security.protocol", "SSL");
            try (ServiceProcess jobApi = ServiceProcess.quarkusApp(ProjectRoot.find(), "job-api", settings,
                    config.logDir().resolve("job-api-tls-probe.log"), "-Xmx256m");
                 Socket connection = broker.accept()) {
                connection.setSoTimeout(60_000);
                InputStream in = connection.getInputStream();
                int contentType = in.read();
                int major = in.read();
                assertEquals(0x16, contentType, "a TLS record of type handshake, not a plaintext Kafka request");
                assertEquals(0x03, major, "TLS record version 3.x");
                assertTrue(jobApi.isAlive());
            }
        }
    }

    /**
     * A job-api holding a publicly known credential (the admin token Compose once defaulted to) refuses to start,
     * naming the setting, unless told the machine is only its user's.
     */
    @Test
    void aServiceWithAPublicDefaultCredentialRefusesToStart() throws Exception {
        StackConfig config = LocalStack.config();
        Map<String, String> settings = probeSettings(config, config.kafkaBootstrap());
        settings.put("jobapi.auth.bootstrap-admin-token", "local-admin-token-change-me");
        try (ServiceProcess jobApi = ServiceProcess.quarkusApp(ProjectRoot.find(), "job-api", settings,
                config.logDir().resolve("job-api-public-defaults.log"), "-Xmx256m")) {
            org.awaitility.Awaitility.await().atMost(java.time.Duration.ofMinutes(3)).until(() -> !jobApi.isAlive());
            String log = java.nio.file.Files.readString(jobApi.log());
            assertTrue(jobApi.exitCode().orElseThrow() != 0, log);
            assertTrue(log.contains("refusing to start: jobapi.auth.bootstrap-admin-token holds a publicly known default"
                    + " value"), log);
        }
    }

    /** An extra job-api on the stack's database, on a port of its own, relaying nothing. */
    private static Map<String, String> probeSettings(StackConfig config, String kafka) {
        String db = config.postgresHostPort() + "/" + StackConfig.API_DATABASE;
        Map<String, String> settings = new java.util.HashMap<>(Map.of(
                "quarkus.http.port", String.valueOf(Ports.free()),
                "kafka.bootstrap.servers", kafka,
                "quarkus.datasource.jdbc.url", "jdbc:postgresql://" + db,
                "quarkus.datasource.reactive.url", "postgresql://" + db,
                "quarkus.datasource.username", config.postgresUser(),
                "quarkus.datasource.password", config.postgresPassword(),
                "jobapi.auth.bootstrap-admin-token", "probe-" + System.nanoTime(),
                // only what it does at start is looked at: nothing is to be relayed by this extra instance
                "crossjobs.messaging.outbox.interval", "1h"));
        return settings;
    }
}

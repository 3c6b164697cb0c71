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
            String db = config.postgresHostPort() + "/" + StackConfig.API_DATABASE;
            Map<String, String> settings = Map.of(
                    "quarkus.http.port", String.valueOf(Ports.free()),
                    "kafka.bootstrap.servers", "127.0.0.1:" + broker.getLocalPort(),
                    "kafka.security.protocol", "SSL",
                    "quarkus.datasource.jdbc.url", "jdbc:postgresql://" + db,
                    "quarkus.datasource.reactive.url", "postgresql://" + db,
                    "quarkus.datasource.username", config.postgresUser(),
                    "quarkus.datasource.password", config.postgresPassword(),
                    "jobapi.auth.bootstrap-admin-token", "tls-probe-" + System.nanoTime(),
                    // only the handshake is looked at: nothing is to be relayed by this extra instance
                    "crossjobs.messaging.outbox.interval", "1h");
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
}

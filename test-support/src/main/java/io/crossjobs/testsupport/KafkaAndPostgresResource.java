package io.crossjobs.testsupport;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.util.HashMap;
import java.util.Map;

/** The real test broker plus a fresh PostgreSQL database for every application start. */
public class KafkaAndPostgresResource implements QuarkusTestResourceLifecycleManager {
    @Override
    public Map<String, String> start() {
        Map<String, String> config = new HashMap<>(RealServers.freshDatabase().quarkusConfig());
        config.put("kafka.bootstrap.servers", RealServers.kafkaBootstrap());
        return config;
    }

    @Override
    public void stop() {
        // servers live as long as the test JVM; each start has its own database
    }
}

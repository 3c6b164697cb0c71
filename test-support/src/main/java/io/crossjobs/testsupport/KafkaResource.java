package io.crossjobs.testsupport;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.util.Map;

/** {@code @QuarkusTestResource(KafkaResource.class)}: the service talks to the real test broker. */
public class KafkaResource implements QuarkusTestResourceLifecycleManager {
    @Override
    public Map<String, String> start() {
        return Map.of("kafka.bootstrap.servers", RealServers.kafkaBootstrap());
    }

    @Override
    public void stop() {
        // the broker lives as long as the test JVM: several test classes share it
    }
}

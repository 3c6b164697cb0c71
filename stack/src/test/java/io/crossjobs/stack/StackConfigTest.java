package io.crossjobs.stack;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StackConfigTest {
    private final Path root = Path.of("/repo");

    @Test
    void defaultsAreTheDocumentedPortsAndStateUnderTheCheckout() {
        StackConfig c = StackConfig.fromEnvironment(Map.of(), root);
        assertEquals(Path.of("/repo/.crossjobs"), c.stateDir());
        assertEquals(8080, c.jobApiPort());
        assertEquals(8082, c.provisionerAwsPort());
        assertEquals(8090, c.mockCloudPort());
        assertEquals("127.0.0.1:19092", c.kafkaBootstrap());
        assertEquals("127.0.0.1:15432", c.postgresHostPort());
        assertEquals("aws", c.controllerCloud());
        assertEquals(19, c.backgroundNiceness());
        assertEquals("default", c.deployment().value());
    }

    @Test
    void environmentOverridesPortsAndPointsAtExternalServers() {
        StackConfig c = StackConfig.fromEnvironment(Map.of("CROSSJOBS_JOB_API_PORT", "9080",
                "CROSSJOBS_KAFKA_BOOTSTRAP", "kafka:9092", "CROSSJOBS_POSTGRES_HOSTPORT", "db:5432",
                "JOBS_CONTROLLER_RESOURCES_CLOUD", "gcp", "CROSSJOBS_STATE_DIR", "/tmp/cj",
                "CROSSJOBS_MOCK_CLOUD_FAULTS_FILE", "/tmp/faults.json", "CROSSJOBS_BACKGROUND_NICE", "0",
                "CROSSJOBS_DEPLOYMENT_ID", "team-b"), root);
        assertEquals(9080, c.jobApiPort());
        assertEquals("kafka:9092", c.kafkaBootstrap());
        assertEquals("db:5432", c.postgresHostPort());
        assertEquals("gcp", c.controllerCloud());
        assertEquals(Path.of("/tmp/cj"), c.stateDir());
        assertEquals(Path.of("/tmp/faults.json"), c.mockCloudFaultsFile().orElseThrow());
        assertEquals(0, c.backgroundNiceness());
        assertEquals("team-b", c.deployment().value());
    }

    @Test
    void aDeploymentIdSomeCloudWouldRefuseNamesTheVariableAndTheValue() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> StackConfig.fromEnvironment(Map.of("CROSSJOBS_DEPLOYMENT_ID", "Team_B"), root));
        assertTrue(e.getMessage().startsWith("CROSSJOBS_DEPLOYMENT_ID: ") && e.getMessage().contains("'Team_B'"),
                e.getMessage());
    }

    @Test
    void aBadPortNamesTheVariable() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> StackConfig.fromEnvironment(Map.of("CROSSJOBS_KAFKA_PORT", "ninety"), root));
        assertTrue(e.getMessage().contains("CROSSJOBS_KAFKA_PORT"), e.getMessage());
    }

    @Test
    void aNiceValueOutsideZeroToNineteenNamesTheVariable() {
        for (String bad : new String[] {"-5", "20", "low"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> StackConfig.fromEnvironment(Map.of("CROSSJOBS_BACKGROUND_NICE", bad), root));
            assertTrue(e.getMessage().contains("CROSSJOBS_BACKGROUND_NICE") && e.getMessage().contains(bad),
                    e.getMessage());
        }
    }
}

package io.crossjobs.stack;

import io.crossjobs.events.DeploymentId;
import io.crossjobs.testsupport.Ports;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * Where the local stack keeps its state and which ports it listens on. Read from the environment so the
 * same launcher serves {@code ./crossjobs up} (fixed, documented ports) and the black-box tests (random ports).
 *
 * @param externalKafka     bootstrap servers of a Kafka to use instead of starting one
 * @param externalPostgres  host:port of a PostgreSQL to use instead of starting one
 * @param mockCloudFaultsFile faults mock-cloud injects from its start (JSON, as its admin API takes them)
 * @param backgroundNiceness the {@code nice} value of the services behind Kafka (controller, provisioners, mock-cloud):
 *                           on one machine, job-api gets the CPU first and answers submissions while the rest works
 *                           through the backlog Kafka holds; 0 runs everything at the same priority
 * @param deployment        the provisioners' {@code crossjobs.deployment-id} (CROSSJOBS_DEPLOYMENT_ID, default
 *                          {@code default}): stacks sharing one cloud account leave each other's instances alone
 */
public record StackConfig(Path stateDir, int postgresPort, int kafkaPort, int mockCloudPort, int mockCloudHttpsPort,
                          int jobApiPort, int provisionerAwsPort, int provisionerGcpPort,
                          int provisionerAzurePort, Optional<String> externalKafka,
                          Optional<String> externalPostgres, String postgresUser, String postgresPassword,
                          String controllerCloud, boolean simulateWorkloads, Optional<Path> mockCloudFaultsFile,
                          int backgroundNiceness, DeploymentId deployment) {
    private static final int DEFAULT_BACKGROUND_NICENESS = 19;

    public static final String API_DATABASE = "crossjobs_api";
    public static final String CONTROLLER_DATABASE = "crossjobs_controller";
    /** The resource group provisioner-azure puts its VMs, networks and disks in. */
    public static final String AZURE_RESOURCE_GROUP = "crossjobs-local";

    public static StackConfig fromEnvironment(Path repoRoot) {
        return fromEnvironment(System.getenv(), repoRoot);
    }

    static StackConfig fromEnvironment(Map<String, String> env, Path repoRoot) {
        Path state = Path.of(env.getOrDefault("CROSSJOBS_STATE_DIR", repoRoot.resolve(".crossjobs").toString()));
        return new StackConfig(state.toAbsolutePath(),
                port(env, "CROSSJOBS_POSTGRES_PORT", 15432),
                port(env, "CROSSJOBS_KAFKA_PORT", 19092),
                port(env, "CROSSJOBS_MOCK_CLOUD_PORT", 8090),
                port(env, "CROSSJOBS_MOCK_CLOUD_HTTPS_PORT", 8443),
                port(env, "CROSSJOBS_JOB_API_PORT", 8080),
                port(env, "CROSSJOBS_PROVISIONER_AWS_PORT", 8082),
                port(env, "CROSSJOBS_PROVISIONER_GCP_PORT", 8083),
                port(env, "CROSSJOBS_PROVISIONER_AZURE_PORT", 8084),
                Optional.ofNullable(env.get("CROSSJOBS_KAFKA_BOOTSTRAP")),
                Optional.ofNullable(env.get("CROSSJOBS_POSTGRES_HOSTPORT")),
                env.getOrDefault("CROSSJOBS_POSTGRES_USER", "postgres"),
                env.getOrDefault("CROSSJOBS_POSTGRES_PASSWORD", "postgres"),
                env.getOrDefault("JOBS_CONTROLLER_RESOURCES_CLOUD", "aws"),
                Boolean.parseBoolean(env.getOrDefault("CROSSJOBS_SIMULATE_WORKLOADS", "false")),
                Optional.ofNullable(env.get("CROSSJOBS_MOCK_CLOUD_FAULTS_FILE")).map(f -> Path.of(f).toAbsolutePath()),
                niceness(env, "CROSSJOBS_BACKGROUND_NICE"),
                deployment(env, "CROSSJOBS_DEPLOYMENT_ID"));
    }

    /**
     * Every port free and chosen at random, for tests and the benchmark, which run beside anything else on the
     * machine; CROSSJOBS_BACKGROUND_NICE applies as for {@code ./crossjobs up}.
     */
    public static StackConfig onFreePorts(Path stateDir, Optional<String> externalKafka,
                                          Optional<String> externalPostgres) {
        return new StackConfig(stateDir, Ports.free(), Ports.free(), Ports.free(), Ports.free(), Ports.free(),
                Ports.free(), Ports.free(), Ports.free(), externalKafka, externalPostgres,
                "postgres", "postgres", "aws", false, Optional.empty(),
                niceness(System.getenv(), "CROSSJOBS_BACKGROUND_NICE"), DeploymentId.DEFAULT);
    }

    /** The same stack, with mock-cloud running user data as a duration and exit code instead of a process. */
    public StackConfig withSimulatedWorkloads(boolean simulate) {
        return new StackConfig(stateDir, postgresPort, kafkaPort, mockCloudPort, mockCloudHttpsPort, jobApiPort,
                provisionerAwsPort, provisionerGcpPort, provisionerAzurePort, externalKafka,
                externalPostgres, postgresUser, postgresPassword, controllerCloud, simulate, mockCloudFaultsFile,
                backgroundNiceness, deployment);
    }

    /** The same stack, its services connecting to PostgreSQL with {@code password}. */
    public StackConfig withPostgresPassword(String password) {
        return new StackConfig(stateDir, postgresPort, kafkaPort, mockCloudPort, mockCloudHttpsPort, jobApiPort,
                provisionerAwsPort, provisionerGcpPort, provisionerAzurePort, externalKafka, externalPostgres,
                postgresUser, password, controllerCloud, simulateWorkloads, mockCloudFaultsFile, backgroundNiceness,
                deployment);
    }

    /** The same stack, with the controller placed on {@code cloud} at its first start. */
    public StackConfig withControllerCloud(String cloud) {
        return new StackConfig(stateDir, postgresPort, kafkaPort, mockCloudPort, mockCloudHttpsPort, jobApiPort,
                provisionerAwsPort, provisionerGcpPort, provisionerAzurePort, externalKafka, externalPostgres,
                postgresUser, postgresPassword, cloud, simulateWorkloads, mockCloudFaultsFile, backgroundNiceness,
                deployment);
    }

    public String kafkaBootstrap() { return externalKafka.orElse("127.0.0.1:" + kafkaPort); }

    public String postgresHostPort() { return externalPostgres.orElse("127.0.0.1:" + postgresPort); }

    public Path logDir() { return stateDir.resolve("logs"); }

    public Path pidFile() { return stateDir.resolve("stack.pids"); }

    private static DeploymentId deployment(Map<String, String> env, String name) {
        try {
            return new DeploymentId(env.getOrDefault(name, DeploymentId.DEFAULT.value()));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(name + ": " + e.getMessage(), e);
        }
    }

    private static int niceness(Map<String, String> env, String name) {
        String v = env.get(name);
        if (v == null || v.isBlank()) return DEFAULT_BACKGROUND_NICENESS;
        try {
            int n = Integer.parseInt(v.trim());
            if (n >= 0 && n <= 19) return n;
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException(name + " must be a nice value from 0 to 19, got '" + v + "'");
    }

    private static int port(Map<String, String> env, String name, int fallback) {
        String v = env.get(name);
        if (v == null || v.isBlank()) return fallback;
        try {
            return Integer.parseInt(v.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be a port number, got '" + v + "'");
        }
    }
}

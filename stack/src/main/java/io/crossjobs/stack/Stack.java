package io.crossjobs.stack;

import io.crossjobs.testsupport.KafkaServerMain;
import io.crossjobs.testsupport.PostgresServerMain;
import io.crossjobs.testsupport.ServiceProcess;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The whole local line as separate processes: PostgreSQL, Kafka, mock-cloud, controller-service,
 * provisioner-aws and job-api, started in dependency order, stopped in reverse.
 */
public final class Stack implements AutoCloseable {
    private static final Duration START_TIMEOUT = Duration.ofMinutes(3);

    private final StackConfig config;
    private final Path root;
    private final PrintStream out;
    private final List<ServiceProcess> processes = new ArrayList<>();

    public Stack(StackConfig config, Path root, PrintStream out) {
        this.config = config;
        this.root = root;
        this.out = out;
    }

    /** Starts everything; if one part fails, what already runs is stopped again. */
    public Stack start() throws IOException, SQLException {
        try {
            startAll();
            return this;
        } catch (IOException | SQLException | RuntimeException e) {
            close();
            throw e;
        }
    }

    private void startAll() throws IOException, SQLException {
        Files.createDirectories(config.logDir());
        startPostgres();
        ensureDatabases();
        startKafka();
        startHttp("mock-cloud", config.mockCloudPort(), Map.of(
                "mock-cloud.state-dir", config.stateDir().resolve("mock-cloud").toString(),
                "mock-cloud.simulate-workloads", String.valueOf(config.simulateWorkloads())));
        startHttp("controller-service", config.controllerPort(), withDatabase(StackConfig.CONTROLLER_DATABASE, Map.of(
                "jobs.controller.resources.cloud", config.controllerCloud())));
        startHttp("provisioner-aws", config.provisionerAwsPort(), Map.of(
                "kafka.bootstrap.servers", config.kafkaBootstrap(),
                "crossjobs.aws.endpoint-override", "http://127.0.0.1:" + config.mockCloudPort(),
                "crossjobs.aws.access-key-id", "mock",
                "crossjobs.aws.secret-access-key", "mock"));
        startHttp("job-api", config.jobApiPort(), withDatabase(StackConfig.API_DATABASE, Map.of()));
        writePidFile();
    }

    public StackConfig config() { return config; }

    public List<ServiceProcess> processes() { return List.copyOf(processes); }

    private void startPostgres() throws IOException {
        if (config.externalPostgres().isPresent()) {
            out.printf("%-19s external %s%n", "postgres", config.postgresHostPort());
            return;
        }
        String dbs = StackConfig.API_DATABASE + "," + StackConfig.CONTROLLER_DATABASE;
        ServiceProcess pg = ServiceProcess.mainClass("postgres", PostgresServerMain.class, log("postgres"),
                String.valueOf(config.postgresPort()), config.stateDir().resolve("postgres").toString(), dbs);
        processes.add(pg);
        pg.awaitLogLine("POSTGRES READY", START_TIMEOUT);
        out.printf("%-19s 127.0.0.1:%d  (pid %d)%n", "postgres", config.postgresPort(), pg.pid());
    }

    private void ensureDatabases() throws SQLException {
        String url = "jdbc:postgresql://" + config.postgresHostPort() + "/postgres";
        try (Connection c = DriverManager.getConnection(url, config.postgresUser(), config.postgresPassword());
             Statement s = c.createStatement()) {
            for (String db : List.of(StackConfig.API_DATABASE, StackConfig.CONTROLLER_DATABASE)) {
                try (ResultSet rs = s.executeQuery("select 1 from pg_database where datname = '" + db + "'")) {
                    if (rs.next()) continue;
                }
                s.execute("create database " + db);
            }
        }
    }

    private void startKafka() throws IOException {
        if (config.externalKafka().isPresent()) {
            out.printf("%-19s external %s%n", "kafka", config.kafkaBootstrap());
            return;
        }
        ServiceProcess kafka = ServiceProcess.mainClass("kafka", KafkaServerMain.class, log("kafka"),
                String.valueOf(config.kafkaPort()), config.stateDir().resolve("kafka").toString());
        processes.add(kafka);
        kafka.awaitLogLine("KAFKA READY", START_TIMEOUT);
        out.printf("%-19s %s  (pid %d)%n", "kafka", config.kafkaBootstrap(), kafka.pid());
    }

    private Map<String, String> withDatabase(String database, Map<String, String> extra) {
        Map<String, String> m = new LinkedHashMap<>(extra);
        m.put("kafka.bootstrap.servers", config.kafkaBootstrap());
        m.put("quarkus.datasource.jdbc.url", "jdbc:postgresql://" + config.postgresHostPort() + "/" + database);
        m.put("quarkus.datasource.reactive.url", "postgresql://" + config.postgresHostPort() + "/" + database);
        m.put("quarkus.datasource.username", config.postgresUser());
        m.put("quarkus.datasource.password", config.postgresPassword());
        return m;
    }

    private void startHttp(String module, int port, Map<String, String> settings) throws IOException {
        Map<String, String> all = new LinkedHashMap<>(settings);
        all.put("quarkus.http.port", String.valueOf(port));
        ServiceProcess p = ServiceProcess.quarkusApp(root, module, all, log(module), "-Xmx384m");
        processes.add(p);
        p.awaitHttpReady(port, START_TIMEOUT);
        out.printf("%-19s http://127.0.0.1:%d  (pid %d)%n", module, port, p.pid());
    }

    private Path log(String name) { return config.logDir().resolve(name + ".log"); }

    private void writePidFile() throws IOException {
        String lines = processes.stream().map(p -> p.pid() + " " + p.name()).collect(Collectors.joining("\n"));
        Files.writeString(config.pidFile(), lines + "\n");
    }

    /** Stops every process in reverse start order. */
    @Override
    public void close() {
        for (int i = processes.size() - 1; i >= 0; i--) processes.get(i).close();
        processes.clear();
        try {
            Files.deleteIfExists(config.pidFile());
        } catch (IOException ignored) {
            // a stale pid file only makes the next `down` say the processes are gone already
        }
    }
}

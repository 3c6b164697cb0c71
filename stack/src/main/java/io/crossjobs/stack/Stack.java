package io.crossjobs.stack;

import io.crossjobs.testsupport.KafkaServerMain;
import io.crossjobs.testsupport.PostgresServerMain;
import io.crossjobs.testsupport.PrivateFiles;
import io.crossjobs.testsupport.ServiceProcess;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The whole local line as separate processes: PostgreSQL, Kafka, mock-cloud, the provisioners of the three clouds
 * and job-api, started in dependency order, stopped in reverse. The jobs controller is not one of them: job-api's
 * keeper launches it as a VM on the configured cloud, and mock-cloud runs the built controller-service as that VM's
 * process; {@link #start()} returns once it serves.
 */
public final class Stack implements AutoCloseable {
    private static final Duration START_TIMEOUT = Duration.ofMinutes(3);
    /**
     * The provisioners' longest pause of a region's polls after failed list calls (a real cloud's default is 60 s):
     * mock-cloud runs beside them, so once it is back they need not wait long to list it again.
     */
    static final Duration POLL_BACKOFF_MAX = Duration.ofSeconds(15);
    /** The servers every service uses: stopped last. */
    private static final java.util.Set<String> SERVERS = java.util.Set.of("kafka", "postgres");
    /** Services that take their work from Kafka, so a burst waits there for them; mock-cloud stands in for the clouds. */
    private static final java.util.Set<String> BEHIND_KAFKA = java.util.Set.of("provisioner-aws",
            "provisioner-gcp", "provisioner-azure", "mock-cloud");
    /** The controller runs inside a mock VM: a child of mock-cloud, so at mock-cloud's priority. */
    public static final String CONTROLLER = "controller-service";
    /** Where mock-cloud writes the certificate of its HTTPS (ARM) listener, inside its state directory. */
    static final String MOCK_CLOUD_CERTIFICATE = "arm-tls/mock-cloud.pem";
    /** The service account key mock-cloud makes at start; Cloud Storage verifies the nodes' upload policies with it. */
    static final String MOCK_CLOUD_GCS_KEY = "gcs/service-account.json";

    private final StackConfig config;
    private final Path root;
    private final PrintStream out;
    /** The processes in start order (PostgreSQL first), each with how it is started again. */
    private final List<Slot> slots = new ArrayList<>();
    /** Set before the processes are stopped on purpose, so that no exit from then on counts as a crash. */
    private volatile boolean closing;
    private final Clock clock = Clock.systemUTC();
    private final Supervisor supervisor;
    private LocalCredentials credentials;
    /** Each Quarkus service's settings as last started, for restarts. */
    private final Map<String, Map<String, String>> launched = new LinkedHashMap<>();
    /** The settings of each replica ({@link #startReplica}) by its name. */
    private final Map<String, Map<String, String>> replicas = new LinkedHashMap<>();

    private final Map<String, Map<String, String>> overrides;

    public Stack(StackConfig config, Path root, PrintStream out) {
        this(config, root, out, Map.of());
    }

    /** With extra settings per module (module name → settings), e.g. shorter backoffs for tests. */
    public Stack(StackConfig config, Path root, PrintStream out, Map<String, Map<String, String>> overrides) {
        this.config = withOwnPostgresPassword(config);
        this.root = root;
        this.out = out;
        this.overrides = Map.copyOf(overrides);
        this.supervisor = new Supervisor(this, new RestartPolicy(RestartPolicy.Settings.standard(), clock), out);
    }

    /**
     * Starts everything; if one part fails, what already runs is stopped again. From then on a process that exits
     * on its own is started again (see {@link Supervisor}), until {@link #close()}.
     */
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
        credentials = LocalCredentials.loadOrCreate(config.stateDir());
        restrictStateDir();
        startPostgres();
        ensureDatabases();
        startKafka();
        Path mockState = config.stateDir().resolve("mock-cloud");
        Map<String, String> mock = new LinkedHashMap<>(Map.of(
                "mock-cloud.state-dir", mockState.toString(),
                "mock-cloud.arm.https-port", String.valueOf(config.mockCloudHttpsPort()),
                // any free port, so stacks never collide: the provisioner is told the one bound (mockCloudFrontEnd)
                "mock-cloud.s3.port", "0",
                "mock-cloud.gcs.port", "0",
                "mock-cloud.blob.port", "0",
                "mock-cloud.simulate-workloads", String.valueOf(config.simulateWorkloads())));
        config.mockCloudFaultsFile().ifPresent(f -> mock.put("mock-cloud.faults-file", f.toString()));
        startHttp("mock-cloud", config.mockCloudPort(), mock);
        keepFrontEndPorts();
        String mockHttp = "http://127.0.0.1:" + config.mockCloudPort();
        startProvisioner("provisioner-aws", config.provisionerAwsPort(), Map.of(
                "crossjobs.aws.endpoint-override", mockHttp,
                "crossjobs.aws.s3-endpoint-override", mockCloudFrontEnd("s3", "endpoint"),
                "crossjobs.aws.access-key-id", "mock",
                "crossjobs.aws.secret-access-key", "mock"));
        startProvisioner("provisioner-gcp", config.provisionerGcpPort(), Map.of(
                "crossjobs.gcp.endpoint-override", mockHttp,
                "crossjobs.gcp.storage-endpoint-override", mockCloudFrontEnd("gcs", "endpoint"),
                "crossjobs.gcp.signing-credentials-file", mockState.resolve(MOCK_CLOUD_GCS_KEY).toString(),
                "crossjobs.gcp.project", "crossjobs-local"));
        startProvisioner("provisioner-azure", config.provisionerAzurePort(), Map.of(
                "crossjobs.azure.endpoint-override", "https://127.0.0.1:" + config.mockCloudHttpsPort(),
                "crossjobs.azure.trust-certificate", mockState.resolve(MOCK_CLOUD_CERTIFICATE).toString(),
                "crossjobs.azure.subscription-id", "00000000-0000-0000-0000-000000000000",
                "crossjobs.azure.resource-group", StackConfig.AZURE_RESOURCE_GROUP,
                // mock-cloud's storage account (its name and fixed test key)
                "crossjobs.azure.storage.endpoint-override", mockCloudFrontEnd("blob", "endpoint"),
                "crossjobs.azure.storage.account", mockCloudFrontEnd("blob", "accountName"),
                "crossjobs.azure.storage.account-key", mockCloudFrontEnd("blob", "accountKey")));
        Map<String, String> api = new LinkedHashMap<>(Map.of(
                "jobapi.auth.bootstrap-admin-token", credentials.adminToken(),
                "crossjobs.secrets.key", credentials.secretsKey()));
        provisionerUrls().forEach((cloud, url) -> api.put("jobapi.archives.provisioners." + cloud, url));
        api.putAll(keeperSettings());
        startHttp("job-api", config.jobApiPort(), withDatabase(StackConfig.API_DATABASE, api));
        writePidFile();
        supervisor.start();
        awaitController();
    }

    /** The stack's own PostgreSQL requires the password in its state directory; an external one, the configured. */
    private static StackConfig withOwnPostgresPassword(StackConfig config) {
        if (config.externalPostgres().isPresent()) return config;
        try {
            return config.withPostgresPassword(Files.readString(
                    LocalCredentials.postgresPasswordFile(config.stateDir())).trim());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("cannot keep PostgreSQL's password in " + config.stateDir(), e);
        }
    }

    /**
     * mock-cloud runs each job's VM as a user of its own where it can (its WorkloadUsers): such a VM may pass through
     * the state directory to its own VM directory under {@code mock-cloud/} and read nothing else of it: not the
     * credentials, the services' settings and logs, Kafka's records or PostgreSQL's files.
     */
    private void restrictStateDir() throws IOException {
        Path state = config.stateDir();
        Path mockCloud = Files.createDirectories(state.resolve("mock-cloud"));
        Path kafka = Files.createDirectories(state.resolve("kafka"));
        try {
            Files.setPosixFilePermissions(state, PosixFilePermissions.fromString("rwx--x--x"));
            Files.setPosixFilePermissions(mockCloud, PosixFilePermissions.fromString("rwx--x--x"));
            Files.setPosixFilePermissions(kafka, PosixFilePermissions.fromString("rwx------"));
            Files.setPosixFilePermissions(config.logDir(), PosixFilePermissions.fromString("rwx------"));
        } catch (UnsupportedOperationException e) {
            // not a POSIX file system: its own permissions apply
        }
    }

    /**
     * What job-api's keeper needs to launch the controller here: the built controller-service (a mock VM is a process
     * of this machine, so a path does), this JVM's java, and the controller's own settings in a file only this user
     * reads, which a controller VM fetches once at its start.
     */
    private Map<String, String> keeperSettings() throws IOException {
        Path jar = root.resolve(CONTROLLER).resolve("target/quarkus-app/quarkus-run.jar");
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " is missing: build it first (mvn -DskipTests package)");
        }
        Map<String, String> controller = withDatabase(StackConfig.CONTROLLER_DATABASE, Map.of(
                // several controllers may share this machine (a migration, replicas): each takes a free port
                "quarkus.http.port", "0",
                "quarkus.http.host", "127.0.0.1",
                "quarkus.log.console.enabled", "false",
                "quarkus.log.file.enabled", "true",
                "quarkus.log.file.path", log(CONTROLLER).toString(),
                // every controller VM of this machine appends to the one file: a new VM's boot (a migration, a
                // replacement) must not rotate away the lines its predecessor is still writing
                "quarkus.log.file.rotation.rotate-on-boot", "false",
                "quarkus.log.file.format", "%d{yyyy-MM-dd HH:mm:ss,SSS} %-5p [%c{3.}] (pid %i) %s%e%n"));
        controller.putAll(overrides.getOrDefault(CONTROLLER, Map.of()));
        Path file = config.stateDir().resolve("controller.properties");
        PrivateFiles.writeProperties(file, controller,
                "the jobs controller's settings, handed to its VM by job-api's keeper");
        Map<String, String> keeper = new LinkedHashMap<>();
        keeper.put("jobs.controller.resources.cloud", config.controllerCloud());
        keeper.put("crossjobs.keeper.controller-artifact", jar.toString());
        keeper.put("crossjobs.keeper.java", ServiceProcess.javaBin());
        keeper.put("crossjobs.keeper.jvm-options", "-Xmx384m " + String.join(" ", ServiceProcess.JVM_FLAGS));
        keeper.put("crossjobs.keeper.controller-settings-file", file.toString());
        keeper.put("crossjobs.keeper.bootstrap-url", "http://127.0.0.1:" + config.jobApiPort() + "/controller/bootstrap");
        return keeper;
    }

    /** Waits until job-api reports a controller VM serving, and prints where it runs. */
    public ControllerView awaitController() {
        ControllerView c = controllerView().awaitServing(START_TIMEOUT);
        out.printf("%-19s %s  (VM %s, %s, pid %s)%n", CONTROLLER, c.where(), c.clusterName(), c.instanceType(),
                c.process());
        return c;
    }

    /**
     * Kills the controller process (SIGKILL), as a crash inside its VM would, and waits until job-api's keeper has
     * another controller VM serving. Returns the new one.
     */
    public ControllerView crashController() {
        ControllerView before = controllerView().awaitServing(START_TIMEOUT);
        String lost = before.clusterName();
        ProcessHandle.of(before.pid()).ifPresent(ProcessHandle::destroyForcibly);
        return controllerView().awaitServing(START_TIMEOUT, c -> !c.clusterName().equals(lost));
    }

    /** The controller as job-api reports it ({@code GET /controller}), with this stack's admin token. */
    public ControllerView controllerView() {
        return new ControllerView(URI.create("http://127.0.0.1:" + config.jobApiPort()), credentials.adminToken());
    }

    /** The admin token job-api accepts for this stack (also in the state directory's admin-token file). */
    public String adminToken() { return credentials.adminToken(); }

    private void startProvisioner(String module, int port, Map<String, String> cloudSettings) throws IOException {
        Map<String, String> all = new LinkedHashMap<>(cloudSettings);
        all.put("kafka.bootstrap.servers", config.kafkaBootstrap());
        all.put("crossjobs.secrets.key", credentials.secretsKey());
        // every instance is tagged with it, and only this deployment's instances are listed, reported, terminated
        all.put("crossjobs.deployment-id", config.deployment().value());
        // the other clouds' provisioners sign the staging of their objects for this one's nodes
        provisionerUrls().forEach((cloud, url) -> all.put("crossjobs.provisioner.peers." + cloud, url));
        all.put("crossjobs.provisioner.poll-backoff-max", POLL_BACKOFF_MAX.toSeconds() + "s");
        startHttp(module, port, all);
    }

    /** Each cloud's provisioner by its internal store API's base URL. */
    private Map<String, String> provisionerUrls() {
        return Map.of("aws", "http://127.0.0.1:" + config.provisionerAwsPort(),
                "gcp", "http://127.0.0.1:" + config.provisionerGcpPort(),
                "azure", "http://127.0.0.1:" + config.provisionerAzurePort());
    }

    public StackConfig config() { return config; }

    /** The processes running now, in start order. */
    public synchronized List<ServiceProcess> processes() { return slots.stream().map(Slot::process).toList(); }

    private void startPostgres() throws IOException {
        if (config.externalPostgres().isPresent()) {
            out.printf("%-19s external %s%n", "postgres", config.postgresHostPort());
            return;
        }
        String dbs = StackConfig.API_DATABASE + "," + StackConfig.CONTROLLER_DATABASE;
        Path data = config.stateDir().resolve("postgres");
        Slot.Launch launch = new MainClassLaunch("postgres", PostgresServerMain.class, "POSTGRES READY",
                "127.0.0.1:" + config.postgresPort(), () -> LeftoverPostgres.stop(data, out),
                String.valueOf(config.postgresPort()), data.toString(), dbs,
                config.stateDir().resolve("postgres-password").toString());
        startSlot(0, "postgres", launch);    // stopped last, after every service that uses it
    }

    /**
     * Stops the embedded PostgreSQL server (a fast shutdown: open connections are cut, as on a crash, but the
     * data directory is left consistent); the services keep running without it.
     */
    public synchronized void stopPostgres() {
        if (config.externalPostgres().isPresent()) throw new IllegalStateException("PostgreSQL is external");
        slot("postgres").ifPresent(slot -> {
            slot.beginReplacing().close();
            slots.remove(slot);
        });
    }

    /** Starts the embedded PostgreSQL server again on its port and data directory: every row is kept. */
    public synchronized void startPostgresAgain() throws IOException {
        startPostgres();
        writePidFile();
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

    /** Stops the embedded Kafka broker (kill -9 when {@code crash}); the services keep running without it. */
    public synchronized void stopKafka(boolean crash) {
        slot("kafka").ifPresent(slot -> {
            ServiceProcess p = slot.beginReplacing();
            if (crash) p.kill();
            else p.close();
            slots.remove(slot);
        });
    }

    /** Starts the embedded Kafka broker again on its port and log directory: topics and offsets are kept. */
    public synchronized void startKafkaAgain() throws IOException {
        startKafka();
        writePidFile();
    }

    private void startKafka() throws IOException {
        if (config.externalKafka().isPresent()) {
            out.printf("%-19s external %s%n", "kafka", config.kafkaBootstrap());
            return;
        }
        startSlot(slots.size(), "kafka", new MainClassLaunch("kafka", KafkaServerMain.class, "KAFKA READY",
                config.kafkaBootstrap(), () -> { }, String.valueOf(config.kafkaPort()), config.stateDir().resolve("kafka").toString()));
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

    /**
     * One field of what mock-cloud says of a front end on a listener of its own ({@code GET /mock/<front end>}):
     * where it listens, its account.
     */
    private String mockCloudFrontEnd(String frontEnd, String field) throws IOException {
        URI admin = URI.create("http://127.0.0.1:" + config.mockCloudPort() + "/mock/" + frontEnd);
        try {
            String body = HttpClient.newHttpClient().send(HttpRequest.newBuilder(admin).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            Matcher value = Pattern.compile("\"" + field + "\"\\s*:\\s*\"([^\"]+)\"").matcher(body);
            if (!value.find()) throw new IOException(admin + " named no " + field + ": " + body);
            return value.group(1);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted asking " + admin, e);
        }
    }

    private void startHttp(String module, int port, Map<String, String> settings) throws IOException {
        Map<String, String> all = new LinkedHashMap<>(settings);
        all.putAll(overrides.getOrDefault(module, Map.of()));
        all.put("quarkus.http.port", String.valueOf(port));
        launched.put(module, all);
        startSlot(slots.size(), module, new HttpLaunch(module, module));
    }

    /** Starts a process in a new slot at {@code index}, waits until it serves, and says where. */
    private void startSlot(int index, String name, Slot.Launch launch) throws IOException {
        ServiceProcess p = launch.start();
        synchronized (this) {
            slots.add(index, new Slot(name, launch, p, clock.instant()));
        }
        launch.awaitReady(p, START_TIMEOUT);
        out.printf("%-19s %s  (pid %d)%n", name, launch.where(), p.pid());
    }

    /**
     * mock-cloud's object stores listen on ports it picks at its first start; the provisioners are told those, so a
     * restart of mock-cloud takes the same ones again.
     */
    private void keepFrontEndPorts() throws IOException {
        Map<String, String> settings = launched.get("mock-cloud");
        for (String frontEnd : List.of("s3", "gcs", "blob")) {
            int port = URI.create(mockCloudFrontEnd(frontEnd, "endpoint")).getPort();
            settings.put("mock-cloud." + frontEnd + ".port", String.valueOf(port));
        }
    }

    /** A Quarkus service, started with its module's settings as they are at each start. */
    private final class HttpLaunch implements Slot.Launch {
        private final String module;
        private final String logName;

        HttpLaunch(String module, String logName) {
            this.module = module;
            this.logName = logName;
        }

        private Map<String, String> settings() {
            return logName.equals(module) ? launched.get(module) : replicas.get(logName);
        }

        private int port() { return Integer.parseInt(settings().get("quarkus.http.port")); }

        @Override
        public ServiceProcess start() throws IOException {
            return ServiceProcess.quarkusApp(root, module, settings(), log(logName), niceness(module), "-Xmx384m");
        }

        @Override
        public void awaitReady(ServiceProcess process, Duration timeout) { process.awaitHttpReady(port(), timeout); }

        @Override
        public String where() { return "http://127.0.0.1:" + port(); }
    }

    /** What must be done before a process starts, e.g. clearing what an earlier run left behind. */
    private interface Preparation {
        void run() throws IOException;
    }

    /** PostgreSQL or Kafka: a main class of test-support, ready once it has logged its line. */
    private final class MainClassLaunch implements Slot.Launch {
        private final String name;
        private final Class<?> main;
        private final String readyLine;
        private final String where;
        private final Preparation before;
        private final String[] args;

        MainClassLaunch(String name, Class<?> main, String readyLine, String where, Preparation before,
                        String... args) {
            this.name = name;
            this.main = main;
            this.readyLine = readyLine;
            this.where = where;
            this.before = before;
            this.args = args;
        }

        @Override
        public ServiceProcess start() throws IOException {
            before.run();
            return ServiceProcess.mainClass(name, main, log(name), args);
        }

        @Override
        public void awaitReady(ServiceProcess process, Duration timeout) { process.awaitLogLine(readyLine, timeout); }

        @Override
        public String where() { return where; }
    }

    /**
     * Starts one more instance of a running service on another port, with the same settings (so the same
     * database and Kafka consumer group): how tests show that two instances share the work.
     */
    public synchronized void startReplica(String module, String replicaName, int port) throws IOException {
        Map<String, String> settings = launched.get(module);
        if (settings == null) throw new IllegalArgumentException(module + " is not a service of this stack");
        Map<String, String> replica = new LinkedHashMap<>(settings);
        replica.put("quarkus.http.port", String.valueOf(port));
        replicas.put(replicaName, replica);
        startSlot(slots.size(), replicaName, new HttpLaunch(module, replicaName));
        writePidFile();
    }

    /** Stops a replica started by {@link #startReplica}. */
    public synchronized void stopReplica(String replicaName) {
        slot(replicaName).ifPresent(slot -> {
            slot.beginReplacing().close();
            slots.remove(slot);
        });
        replicas.remove(replicaName);
    }

    /**
     * Stops one service (SIGTERM, or SIGKILL when {@code crash}) and starts it again with the settings it had,
     * changed by {@code changes}: how tests restart, crash or re-place a service while the rest keeps running.
     */
    public synchronized void restart(String module, boolean crash, Map<String, String> changes) throws IOException {
        Map<String, String> settings = launched.get(module);
        if (settings == null) throw new IllegalArgumentException(module + " is not a service of this stack");
        Slot slot = slot(module).orElseThrow();
        ServiceProcess old = slot.beginReplacing();
        if (crash) old.kill();
        else old.close();
        Map<String, String> next = new LinkedHashMap<>(settings);
        next.putAll(changes);
        launched.put(module, next);
        ServiceProcess p = slot.launch().start();
        slot.replaced(p, clock.instant());
        slot.launch().awaitReady(p, START_TIMEOUT);
        writePidFile();
    }

    private synchronized Optional<Slot> slot(String name) {
        return slots.stream().filter(s -> s.name().equals(name)).findFirst();
    }

    // --- for the Supervisor: each step under this stack's lock, the waits outside it

    /** The slots whose process exited although nobody stopped it, each recorded as crashed. */
    synchronized List<Crash> collectCrashes() {
        if (closing) return List.of();
        List<Crash> crashed = new ArrayList<>();
        for (Slot slot : slots) {
            if (!slot.crashed()) continue;
            ServiceProcess dead = slot.process();
            ProcessExit exit = slot.recordCrash(clock.instant());
            crashed.add(new Crash(slot, dead, exit, slot.crashes(), slot.restarts()));
            writePidFileQuietly();
        }
        return crashed;
    }

    /**
     * One process seen gone: its slot, the run that ended, how, the slot's crashes so far (the last one this) and
     * how often the launcher had started it again before.
     */
    record Crash(Slot slot, ServiceProcess dead, ProcessExit exit, List<RestartPolicy.Run> crashes, int restarts) { }

    synchronized void giveUp(Slot slot) {
        slot.giveUp();
        writePidFileQuietly();
    }

    /**
     * Starts the process of {@code slot} again, unless the stack is closing or the run that ended is no longer its
     * (its owner restarted or removed it meanwhile). Returns the new run, not yet ready.
     */
    synchronized Optional<ServiceProcess> startAgain(Slot slot, ServiceProcess ended) {
        if (closing || !slots.contains(slot) || slot.process() != ended || slot.state() == Slot.State.RUNNING) {
            return Optional.empty();
        }
        try {
            ServiceProcess p = slot.launch().start();
            slot.restarted(p, clock.instant());
            return Optional.of(p);
        } catch (IOException | RuntimeException e) {
            out.println("crossjobs: " + slot.name() + " could not be started again: " + e.getMessage());
            slot.startFailed(clock.instant());
            return Optional.empty();
        } finally {
            writePidFileQuietly();
        }
    }

    /** Stops the process named {@code name} on purpose, so that it can be started again; empty when it is not up. */
    Optional<Slot> stopToReplace(String name) {
        ServiceProcess old;
        Slot slot;
        synchronized (this) {
            slot = slot(name).filter(s -> s.state() == Slot.State.RUNNING && !closing).orElse(null);
            if (slot == null) return Optional.empty();
            old = slot.beginReplacing();
        }
        old.close();
        return Optional.of(slot);
    }

    /**
     * The services to restart after {@code name} is back from a restart, because they hold, from their own start,
     * something its start makes anew: mock-cloud empties its object stores and writes a new service account key
     * and ARM certificate when it starts, and each provisioner makes its staging bucket once at its start,
     * provisioner-gcp reads that key and provisioner-azure trusts that certificate.
     */
    Dependents dependentsOf(String name) {
        if (!name.equals("mock-cloud")) return Dependents.NONE;
        // a provisioner knows the clusters it watches only in memory: it must list the cloud once more, and report
        // the VMs mock-cloud's restart ended, before its own restart forgets them. After failed list calls it pauses
        // a region's polls for up to POLL_BACKOFF_MAX, so twice that after mock-cloud is back each has listed again.
        return new Dependents(List.of("provisioner-aws", "provisioner-gcp", "provisioner-azure"),
                POLL_BACKOFF_MAX.multipliedBy(2), "they hold buckets, a key and a certificate of mock-cloud's last"
                + " start, and first list the cloud again, to report the VMs lost with it");
    }

    /** Services restarted {@code after} another one is back, and why. */
    record Dependents(List<String> names, Duration after, String why) {
        static final Dependents NONE = new Dependents(List.of(), Duration.ZERO, "");
    }

    boolean closing() { return closing; }

    /** job-api and the servers it needs keep the normal priority; the services behind Kafka get the configured one. */
    private int niceness(String module) {
        return BEHIND_KAFKA.contains(module) ? config.backgroundNiceness() : 0;
    }

    private Path log(String name) { return config.logDir().resolve(name + ".log"); }

    /** The state file {@code ./crossjobs status} and {@code down} read: one {@link Slot#stateLine()} per process. */
    private synchronized void writePidFile() throws IOException {
        String lines = slots.stream().map(Slot::stateLine).collect(Collectors.joining("\n"));
        Path next = config.pidFile().resolveSibling(config.pidFile().getFileName() + ".next");
        Files.writeString(next, lines + "\n");
        Files.move(next, config.pidFile(), java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }

    private void writePidFileQuietly() {
        try {
            writePidFile();
        } catch (IOException e) {
            out.println("crossjobs: could not write " + config.pidFile() + ": " + e.getMessage());
        }
    }

    /** Stops every process in reverse start order; none is started again from now on. */
    @Override
    public void close() {
        closing = true;
        supervisor.close();
        synchronized (this) {
            // the services side by side, then the servers they use, so none of them spins on a vanished server
            ServiceProcess.closeAll(slots.stream().filter(s -> !SERVERS.contains(s.name())).map(Slot::beginReplacing)
                    .toList());
            ServiceProcess.closeAll(slots.stream().filter(s -> SERVERS.contains(s.name())).map(Slot::beginReplacing)
                    .toList());
            slots.clear();
        }
        try {
            Files.deleteIfExists(config.pidFile());
        } catch (IOException ignored) {
            // a stale pid file only makes the next `down` say the processes are gone already
        }
    }
}

package io.crossjobs.stack;

import io.crossjobs.events.Topics;
import io.crossjobs.testsupport.ProjectRoot;
import org.apache.kafka.server.config.AbstractKafkaConfig;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * docker-compose.yml checked against the code, since no Docker engine runs where the tests run: every
 * environment key is a property its service reads, ports, topics and databases agree with the modules, each
 * image builds a module of the reactor, the jobs controller runs as {@code ./crossjobs up} runs it (a mock VM's process
 * inside mock-cloud's container, launched by job-api's keeper, with the settings job-api hands it), and the compose
 * tool itself accepts the file when it is installed.
 */
class ComposeFileTest {
    private static final Set<String> SERVICE_MODULES = Set.of("mock-cloud", "job-api",
            "provisioner-aws", "provisioner-gcp", "provisioner-azure");
    /** The jobs controller: no service of its own; job-api's keeper launches it as a VM, which mock-cloud runs. */
    private static final String CONTROLLER = Stack.CONTROLLER;
    /** The container a mock VM's user data runs in, so the one that carries the built controller-service. */
    private static final String CONTROLLER_HOST = "mock-cloud";
    /** Who owns which database: as the local stack creates them. */
    private static final Map<String, String> DATABASES = Map.of(
            "job-api", StackConfig.API_DATABASE, CONTROLLER, StackConfig.CONTROLLER_DATABASE);
    private static final Pattern HOST_PORT = Pattern.compile("(?:^|[/@,])([a-z][a-z0-9-]*):(\\d+)");
    /** The modules a Dockerfile's build stage builds: {@code mvn -B -q -pl a,b -am ...}. */
    private static final Pattern MAVEN_MODULES = Pattern.compile("mvn -B -q -pl ([\\w,-]+) -am ");
    /** Compose interpolates {@code configs.*.content} since this version. */
    private static final List<Integer> COMPOSE_CONTENT_VERSION = List.of(2, 23, 1);

    private static Path root;
    private static Map<String, Object> compose;
    private static Map<String, Map<String, Object>> services;

    @BeforeAll
    static void load() throws IOException {
        root = ProjectRoot.find();
        try (Reader r = Files.newBufferedReader(root.resolve("docker-compose.yml"))) {
            compose = new Yaml().load(r);
        }
        services = new LinkedHashMap<>();
        map(compose, "services").forEach((name, body) -> services.put(name, asMap(body)));
    }

    @Test
    void eachServiceImageIsBuiltFromItsModuleWithAMultiStageDockerfile() throws IOException {
        String reactor = Files.readString(root.resolve("pom.xml"));
        Set<String> built = new TreeSet<>();
        for (var service : services.entrySet()) {
            Map<String, Object> build = asMapOrNull(service.getValue().get("build"));
            if (build == null) continue;
            String module = service.getKey();
            built.add(module);
            assertEquals(".", build.get("context"), module + ": the build context is the repository root");
            assertEquals(module + "/Dockerfile", build.get("dockerfile"), module + ": its own module's Dockerfile");
            assertTrue(reactor.contains("<module>" + module + "</module>"), module + " is a module of the reactor");
            String dockerfile = Files.readString(root.resolve(module).resolve("Dockerfile"));
            assertTrue(dockerfile.matches("(?s).*FROM maven:[^\\n]*temurin-17 AS build\\n.*"), module + ": JDK 17 build stage");
            List<String> builds = mavenModules(module);
            assertEquals(module, builds.get(0), module + ": builds its module with -am " + builds);
            for (String other : builds) {
                assertTrue(reactor.contains("<module>" + other + "</module>"), module + " builds " + other + " of the reactor");
            }
            assertTrue(dockerfile.matches("(?s).*\\nFROM eclipse-temurin:17-jre\\n.*"), module + ": JRE 17 run stage");
            assertTrue(dockerfile.contains("COPY --from=build --chown=crossjobs:crossjobs /src/" + module
                    + "/target/quarkus-app/ /deployments/"), module + ": runs the module's own quarkus-app");
            assertTrue(dockerfile.contains("/deployments/quarkus-run.jar"), module + ": starts quarkus-run.jar");
            assertTrue(dockerfile.contains("COPY docker/healthcheck.sh /usr/local/bin/crossjobs-healthcheck\n"),
                    module + ": has the health check its compose service runs");
        }
        assertTrue(Files.isExecutable(root.resolve("docker/healthcheck.sh")), "docker/healthcheck.sh is executable");
        assertTrue(Files.readAllLines(root.resolve(".dockerignore")).contains("**/target/"),
                "build output stays out of the build context");
        assertEquals(new TreeSet<>(SERVICE_MODULES), built, "every service module, and only those, has an image");
        assertFalse(Files.exists(root.resolve(CONTROLLER).resolve("Dockerfile")),
                CONTROLLER + " has no image of its own: it runs inside " + CONTROLLER_HOST + "'s");
    }

    @Test
    void theControllerRunsInsideMockCloudFromTheBuiltControllerServiceItsImageCarries() throws IOException {
        assertNull(services.get(CONTROLLER), CONTROLLER + " is no service: job-api's keeper launches it as a VM");
        assertTrue(mavenModules(CONTROLLER_HOST).contains(CONTROLLER),
                CONTROLLER_HOST + "'s build stage builds " + CONTROLLER + " too: " + mavenModules(CONTROLLER_HOST));
        String dockerfile = Files.readString(root.resolve(CONTROLLER_HOST).resolve("Dockerfile"));
        Matcher copy = Pattern.compile("\\nCOPY --from=build (?:--chown=\\S+ )?/src/" + Pattern.quote(CONTROLLER)
                + "/target/quarkus-app/ (/\\S+)\\n").matcher(dockerfile);
        assertTrue(copy.find(), CONTROLLER_HOST + "'s image copies " + CONTROLLER + "'s quarkus-app");
        String folder = copy.group(1).endsWith("/") ? copy.group(1) : copy.group(1) + "/";

        Map<String, String> api = environment("job-api");
        assertEquals(folder + "quarkus-run.jar", api.get("CROSSJOBS_KEEPER_CONTROLLER_ARTIFACT"),
                "the keeper names the jar as it is in " + CONTROLLER_HOST + "'s container, where a mock VM runs");
        assertEquals("java", api.get("CROSSJOBS_KEEPER_JAVA"), "the JRE of " + CONTROLLER_HOST + "'s image, on its PATH");

        URI bootstrap = URI.create(api.get("CROSSJOBS_KEEPER_BOOTSTRAP_URL"));
        assertEquals("http", bootstrap.getScheme(), bootstrap.toString());
        assertEquals("job-api", bootstrap.getHost(), "a controller VM reaches job-api by its service name");
        assertEquals(httpPort("job-api"), bootstrap.getPort(), "job-api's own HTTP port");
        assertEquals(bootstrapPath(), bootstrap.getPath(), "job-api's bootstrap endpoint (ControllerBootstrap.PATH)");

        Map<String, String> settings = controllerSettings();
        assertEquals("0", settings.get("quarkus.http.port"),
                "controllers sharing " + CONTROLLER_HOST + "'s container (a migration, replicas) each take a free port");
        String log = settings.get("quarkus.log.file.path");
        if (log != null && "true".equals(settings.get("quarkus.log.file.enabled"))) {
            String dir = log.substring(0, log.lastIndexOf('/'));
            assertTrue(Pattern.compile("mkdir -p [^\\n]*" + Pattern.quote(dir) + "\\b").matcher(dockerfile).find()
                    && Pattern.compile("chown crossjobs:crossjobs [^\\n]*" + Pattern.quote(dir) + "\\b").matcher(dockerfile).find(),
                    CONTROLLER_HOST + "'s image makes the controller's log folder " + dir + " for its user");
        }
    }

    @Test
    void theServicesBehindKafkaGetLessCpuWeightThanJobApi() {
        assertNull(services.get("job-api").get("cpu_shares"), "job-api keeps Docker's default weight (1024)");
        for (String module : SERVICE_MODULES) {
            if (module.equals("job-api")) continue;
            Object shares = services.get(module).get("cpu_shares");
            assertTrue(shares instanceof Number n && n.intValue() < 1024, module + ": cpu_shares " + shares);
        }
    }

    @Test
    void everyEnvironmentKeyIsAPropertyItsServiceReads() {
        Map<String, List<String>> unknown = new LinkedHashMap<>();
        for (String module : SERVICE_MODULES) {
            ServiceConfigKeys keys = ServiceConfigKeys.of(root, module);
            for (String env : environment(module).keySet()) {
                keys.problemWith(env).ifPresent(p -> unknown.computeIfAbsent(module, m -> new ArrayList<>()).add(p));
            }
        }
        // the controller's settings are properties, not environment keys: checked under their environment name
        ServiceConfigKeys controller = ServiceConfigKeys.of(root, CONTROLLER);
        for (String property : controllerSettings().keySet()) {
            controller.problemWith(ServiceConfigKeys.envName(property)).ifPresent(p -> unknown
                    .computeIfAbsent(CONTROLLER + " settings", m -> new ArrayList<>()).add(property + " as " + p));
        }
        assertEquals(Map.of(), unknown, "environment keys that change nothing in their service (renamed in the code? "
                + "known are application.properties, @ConfigMapping/@ConfigProperty names, run-time Quarkus and Kafka settings)");
    }

    @Test
    void portsAgreeWithEachModuleAndItsDockerfile() throws IOException {
        for (String module : SERVICE_MODULES) {
            int http = httpPort(module);
            Set<Integer> exposed = exposedPorts(module);
            assertTrue(exposed.contains(http), module + ": EXPOSE " + exposed + " names quarkus.http.port " + http);
            for (Object mapping : list(services.get(module), "ports")) {
                int target = Integer.parseInt(mapping.toString().replaceFirst("^.*:", ""));
                assertTrue(exposed.contains(target), module + ": published port " + target + " is exposed " + exposed);
            }
            assertEquals(List.of("CMD", "crossjobs-healthcheck", String.valueOf(http)),
                    map(services.get(module), "healthcheck").get("test"), module + ": readiness on its HTTP port");
        }
        int armPort = Integer.parseInt(environment("mock-cloud").get("MOCK_CLOUD_ARM_HTTPS_PORT"));
        assertTrue(exposedPorts("mock-cloud").contains(armPort), "mock-cloud exposes its ARM port " + armPort);
    }

    @Test
    void noServicePublishesTheControllersPort() throws IOException {
        String controllerPort = String.valueOf(httpPort(CONTROLLER));
        for (var service : services.entrySet()) {
            for (Object mapping : list(service.getValue(), "ports")) {
                for (String port : mapping.toString().split("[^0-9]+")) {
                    assertFalse(port.equals(controllerPort), service.getKey() + " publishes " + controllerPort
                            + " (" + mapping + "): the controller serves inside " + CONTROLLER_HOST + " on a free port");
                }
            }
        }
        String file = Files.readString(root.resolve("docker-compose.yml"));
        assertFalse(file.contains("CROSSJOBS_CONTROLLER_PORT"), "no host port for a controller service");
    }

    @Test
    void everyAddressInASettingNamesAServiceOnAPortItListensOn() throws IOException {
        Map<String, Set<Integer>> listening = new LinkedHashMap<>();
        for (String module : SERVICE_MODULES) listening.put(module, exposedPorts(module));
        listening.put("postgres", Set.of(5432));
        listening.put("kafka", Set.of(internalKafkaListener().getValue()));
        Map<String, Map<String, String>> settings = new LinkedHashMap<>();
        for (String module : SERVICE_MODULES) settings.put(module, environment(module));
        // the controller VM runs in mock-cloud's container, on the same network
        settings.put(CONTROLLER + " settings", controllerSettings());
        int checked = 0;
        for (var owner : settings.entrySet()) {
            String module = owner.getKey();
            for (var env : owner.getValue().entrySet()) {
                Matcher m = HOST_PORT.matcher(env.getValue());
                while (m.find()) {
                    String host = m.group(1);
                    int port = Integer.parseInt(m.group(2));
                    assertTrue(listening.containsKey(host), module + " " + env.getKey() + ": no service " + host);
                    assertTrue(listening.get(host).contains(port),
                            module + " " + env.getKey() + ": " + host + " listens on " + listening.get(host) + ", not " + port);
                    checked++;
                }
            }
        }
        assertTrue(checked >= 10, "the addresses were found (" + checked + ")");
    }

    @Test
    void topicsCreatedUpFrontAreThoseOfTheCodeAndEveryServiceFindsItsOwn() {
        Set<String> created = createdTopics();
        Set<String> expected = new TreeSet<>(List.of(Topics.JOB_REQUESTS, Topics.PROVISION_EVENTS, Topics.JOB_LOGS,
                Topics.JOB_STATUS, Topics.CONTROLLER_HEARTBEATS, Topics.PARKED));
        for (String module : SERVICE_MODULES) {
            if (module.startsWith("provisioner-")) expected.add(Topics.provisionCommands(module.substring("provisioner-".length())));
        }
        assertEquals(expected, created);
        List<String> running = new ArrayList<>(SERVICE_MODULES);
        running.add(CONTROLLER);
        for (String module : running) {
            Properties app = ServiceConfigKeys.applicationProperties(root, module);
            for (String key : app.stringPropertyNames()) {
                if (key.startsWith("mp.messaging.") && key.endsWith(".topic")) {
                    assertTrue(created.contains(app.getProperty(key)), module + " " + key + "=" + app.getProperty(key) + " is created");
                }
            }
        }
        var internal = internalKafkaListener();
        String bootstrap = internal.getKey() + ":" + internal.getValue();
        for (String module : SERVICE_MODULES) {
            if (module.equals("mock-cloud")) continue;
            assertEquals(bootstrap, environment(module).get("KAFKA_BOOTSTRAP_SERVERS"), module + ": Kafka's internal listener");
        }
        assertEquals(bootstrap, controllerSettings().get("kafka.bootstrap.servers"), CONTROLLER + ": Kafka's internal listener");
    }

    @Test
    void kafkaIsConfiguredWithBrokerSettingsAndPublishesItsHostListener() {
        Set<String> brokerSettings = AbstractKafkaConfig.CONFIG_DEF.names();
        List<String> unknown = new ArrayList<>();
        for (String env : environment("kafka").keySet()) {
            if (env.equals("CLUSTER_ID")) continue; // read by the image's start script, not a broker setting
            String setting = env.startsWith("KAFKA_") ? brokerSetting(env) : env;
            if (!env.startsWith("KAFKA_") || !brokerSettings.contains(setting)) unknown.add(env + " (" + setting + ")");
        }
        assertEquals(List.of(), unknown, "kafka environment keys that are no broker setting");
        Matcher host = Pattern.compile("HOST://:(\\d+)").matcher(environment("kafka").get("KAFKA_LISTENERS"));
        assertTrue(host.find(), "a HOST listener");
        assertEquals(List.of("${CROSSJOBS_KAFKA_PORT:-19092}:" + host.group(1)), list(services.get("kafka"), "ports"));
        assertTrue(environment("kafka").get("KAFKA_ADVERTISED_LISTENERS").contains("HOST://localhost:${CROSSJOBS_KAFKA_PORT:-19092}"),
                "clients on the host are sent back to the published port");
    }

    @Test
    void eachDatabaseIsCreatedByTheInitScriptAndUsedOnlyByItsOwner() throws IOException {
        Map<String, Object> postgres = services.get("postgres");
        String mount = list(postgres, "volumes").stream().map(Object::toString)
                .filter(v -> v.contains(":/docker-entrypoint-initdb.d/")).findFirst().orElseThrow();
        String script = Files.readString(root.resolve(mount.substring(0, mount.indexOf(':'))));
        for (var owner : DATABASES.entrySet()) {
            assertTrue(script.contains("CREATE DATABASE " + owner.getValue() + ";"), "the init script creates " + owner.getValue());
            // a service's own environment; the controller's, the settings job-api hands its VM
            boolean controller = owner.getKey().equals(CONTROLLER);
            Map<String, String> settings = controller ? controllerSettings() : asProperties(environment(owner.getKey()));
            String who = owner.getKey() + (controller ? " settings" : "");
            assertEquals("jdbc:postgresql://postgres:5432/" + owner.getValue(), settings.get("quarkus.datasource.jdbc.url"), who);
            assertEquals("postgresql://postgres:5432/" + owner.getValue(), settings.get("quarkus.datasource.reactive.url"), who);
            assertEquals(map(postgres, "environment").get("POSTGRES_USER"), settings.get("quarkus.datasource.username"), who);
            assertEquals(map(postgres, "environment").get("POSTGRES_PASSWORD"), settings.get("quarkus.datasource.password"),
                    who + ": the same password, from the same variable with the same default");
        }
        for (String module : SERVICE_MODULES) {
            if (!DATABASES.containsKey(module)) {
                assertFalse(environment(module).keySet().stream().anyMatch(k -> k.startsWith("QUARKUS_DATASOURCE")),
                        module + " keeps no database");
            }
        }
        for (var service : services.entrySet()) {
            assertFalse(environment(service.getKey()).values().stream().anyMatch(v -> v.contains(StackConfig.CONTROLLER_DATABASE)),
                    service.getKey() + ": only the controller's settings name " + StackConfig.CONTROLLER_DATABASE);
        }
    }

    @Test
    void tokenSecretsKeyAndPasswordMustBeSetAndTheControllerCloudHasALocalDefault() {
        assertEquals("${JOBS_CONTROLLER_RESOURCES_CLOUD:-aws}", environment("job-api").get("JOBS_CONTROLLER_RESOURCES_CLOUD"),
                "job-api's keeper places the controller");
        for (String module : SERVICE_MODULES) {
            if (!module.equals("job-api")) assertNull(environment(module).get("JOBS_CONTROLLER_RESOURCES_CLOUD"), module);
        }
        // a default written in the file would be public: Compose refuses to start until each is set
        assertTrue(environment("job-api").get("JOBAPI_AUTH_BOOTSTRAP_ADMIN_TOKEN").startsWith("${CROSSJOBS_ADMIN_TOKEN:?"));
        assertTrue(environment("job-api").get("QUARKUS_DATASOURCE_PASSWORD").startsWith("${CROSSJOBS_POSTGRES_PASSWORD:?"));
        String key = environment("job-api").get("CROSSJOBS_SECRETS_KEY");
        assertTrue(key.startsWith("${CROSSJOBS_SECRETS_KEY:?"), key);
        for (String provisioner : List.of("provisioner-aws", "provisioner-gcp", "provisioner-azure")) {
            assertEquals(key, environment(provisioner).get("CROSSJOBS_SECRETS_KEY"), provisioner + " opens what job-api seals");
        }
    }

    @Test
    void provisionerAzureTrustsTheCertificateMockCloudWritesIntoTheSharedVolume() {
        Map<String, String> mock = environment("mock-cloud");
        Map<String, String> azure = environment("provisioner-azure");
        String stateDir = mock.get("MOCK_CLOUD_STATE_DIR");
        String volume = namedVolumeAt("mock-cloud", stateDir);
        String azureMount = list(services.get("provisioner-azure"), "volumes").stream().map(Object::toString)
                .filter(v -> v.startsWith(volume + ":")).findFirst().orElseThrow(() -> new AssertionError("azure mounts " + volume));
        assertTrue(azureMount.endsWith(":ro"), "read-only: " + azureMount);
        String target = azureMount.split(":")[1];
        assertEquals(target + "/" + Stack.MOCK_CLOUD_CERTIFICATE, azure.get("CROSSJOBS_AZURE_TRUST_CERTIFICATE"));

        URI endpoint = URI.create(azure.get("CROSSJOBS_AZURE_ENDPOINT_OVERRIDE"));
        assertEquals("https", endpoint.getScheme());
        assertTrue(List.of(mock.get("MOCK_CLOUD_ARM_EXTRA_HOST_NAMES").split("\\s*,\\s*")).contains(endpoint.getHost()),
                "the certificate names " + endpoint.getHost());
        assertEquals(String.valueOf(endpoint.getPort()), mock.get("MOCK_CLOUD_ARM_HTTPS_PORT"));
        assertEquals("0.0.0.0", mock.get("MOCK_CLOUD_ARM_HOST"), "ARM listens beyond the container's loopback");
    }

    @Test
    void everyServiceHasAHealthCheckAndWaitsOnConditionsForWhatItNeeds() {
        Set<String> declaredVolumes = map(compose, "volumes").keySet();
        for (var service : services.entrySet()) {
            String name = service.getKey();
            Map<String, Object> body = service.getValue();
            boolean oneShot = "no".equals(String.valueOf(body.get("restart")));
            if (!oneShot) assertNotNull(asMapOrNull(body.get("healthcheck")), name + " has a health check");
            Map<String, Object> dependsOn = asMapOrNull(body.get("depends_on"));
            if (dependsOn != null) {
                for (var dependency : dependsOn.entrySet()) {
                    String condition = String.valueOf(asMap(dependency.getValue()).get("condition"));
                    Map<String, Object> target = services.get(dependency.getKey());
                    assertNotNull(target, name + " depends on a service of this file: " + dependency.getKey());
                    if (condition.equals("service_healthy")) {
                        assertNotNull(target.get("healthcheck"), dependency.getKey() + " has a health check to wait for");
                    } else {
                        assertEquals("service_completed_successfully", condition, name + " -> " + dependency.getKey());
                        assertEquals("no", String.valueOf(target.get("restart")), dependency.getKey() + " runs once");
                    }
                }
            }
            for (Object volume : list(body, "volumes")) {
                String source = volume.toString().split(":")[0];
                if (!source.startsWith(".")) assertTrue(declaredVolumes.contains(source), name + ": named volume " + source);
            }
            for (Object config : list(body, "configs")) {
                String source = config instanceof Map<?, ?> m ? String.valueOf(m.get("source")) : config.toString();
                assertNotNull(asMapOrNull(asMap(compose.get("configs")).get(source)), name + ": config " + source + " is declared");
            }
        }
        // job-api's keeper launches the controller VM through a provisioner, on mock-cloud
        Map<String, Object> apiNeeds = map(services.get("job-api"), "depends_on");
        for (String module : SERVICE_MODULES) {
            if (module.equals("job-api")) continue;
            assertNotNull(apiNeeds.get(module), "job-api waits for " + module);
            assertEquals("service_healthy", String.valueOf(map(apiNeeds, module).get("condition")),
                    "job-api starts once " + module + " is ready");
        }
    }

    @Test
    void theComposeToolAcceptsTheFile() throws Exception {
        ComposeTool found = composeTool();
        assumeTrue(found != null, "neither `docker compose` nor `docker-compose` is installed: the compose tool's own "
                + "check of docker-compose.yml is skipped (the other tests of this class still ran)");
        assumeTrue(atLeast(found.version(), COMPOSE_CONTENT_VERSION), String.join(" ", found.command()) + " is version "
                + found.version() + ": docker-compose.yml needs Compose " + COMPOSE_CONTENT_VERSION.stream().map(String::valueOf)
                .collect(Collectors.joining(".")) + " or later (configs with content); its check is skipped");
        List<String> command = new ArrayList<>(found.command());
        command.addAll(List.of("-f", root.resolve("docker-compose.yml").toString(), "config", "-q"));
        Process p = new ProcessBuilder(command).directory(root.toFile()).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(2, TimeUnit.MINUTES), "compose config did not finish");
        assertEquals(0, p.exitValue(), String.join(" ", command) + " refused the file:\n" + output);
    }

    // --- helpers

    /** A compose command and its version (major, minor, patch; empty when its output names none). */
    private record ComposeTool(List<String> command, List<Integer> version) { }

    /** {@code docker compose} (v2) if present, else {@code docker-compose} (v1 or a standalone v2), else null. */
    private static ComposeTool composeTool() {
        for (List<String> candidate : List.of(List.of("docker", "compose"), List.of("docker-compose"))) {
            List<String> version = new ArrayList<>(candidate);
            version.add("version");
            try {
                Process p = new ProcessBuilder(version).redirectErrorStream(true).start();
                String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                if (p.waitFor(1, TimeUnit.MINUTES) && p.exitValue() == 0) {
                    // "Docker Compose version v2.29.1", "docker-compose version 1.29.2, build 5becea4c"
                    Matcher v = Pattern.compile("(\\d+)\\.(\\d+)\\.(\\d+)").matcher(output);
                    List<Integer> parsed = v.find() ? List.of(Integer.parseInt(v.group(1)), Integer.parseInt(v.group(2)),
                            Integer.parseInt(v.group(3))) : List.of();
                    return new ComposeTool(candidate, parsed);
                }
            } catch (IOException e) {
                // not installed: try the next one
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return null;
            }
        }
        return null;
    }

    /** True when {@code version} is at least {@code minimum}; an unknown (empty) version is given the benefit of the doubt. */
    private static boolean atLeast(List<Integer> version, List<Integer> minimum) {
        if (version.isEmpty()) return true;
        for (int i = 0; i < minimum.size(); i++) {
            int c = Integer.compare(version.get(i), minimum.get(i));
            if (c != 0) return c > 0;
        }
        return true;
    }

    /** Environment keys as the properties they set, for the simple names used here ({@code A_B} → {@code a.b}). */
    private static Map<String, String> asProperties(Map<String, String> env) {
        Map<String, String> properties = new LinkedHashMap<>();
        env.forEach((k, v) -> properties.put(k.toLowerCase(Locale.ROOT).replace('_', '.'), v));
        return properties;
    }

    /** The modules a service's Dockerfile builds ({@code -pl}), its own first. */
    private static List<String> mavenModules(String module) throws IOException {
        String dockerfile = Files.readString(root.resolve(module).resolve("Dockerfile"));
        Matcher m = MAVEN_MODULES.matcher(dockerfile);
        assertTrue(m.find(), module + ": the build stage runs mvn -B -q -pl <modules> -am");
        return List.of(m.group(1).split(","));
    }

    /**
     * The controller's settings as job-api's keeper hands them to a controller VM: the properties text of the
     * top-level config with {@code content} that job-api mounts at {@code crossjobs.keeper.controller-settings-file}.
     * As written (variables not interpolated).
     */
    private static Map<String, String> controllerSettings() {
        String file = environment("job-api").get("CROSSJOBS_KEEPER_CONTROLLER_SETTINGS_FILE");
        assertNotNull(file, "job-api names the controller's settings file");
        String source = null;
        for (Object config : list(services.get("job-api"), "configs")) {
            Map<String, Object> c = asMapOrNull(config);
            if (c != null && file.equals(String.valueOf(c.get("target")))) source = String.valueOf(c.get("source"));
        }
        assertNotNull(source, "job-api mounts a config at " + file);
        Map<String, Object> config = asMapOrNull(asMap(compose.get("configs")).get(source));
        assertNotNull(config, "the config " + source + " is declared");
        Object content = config.get("content");
        assertTrue(content instanceof String, "the config " + source + " is inline content (Compose interpolates it)");
        Properties p = new Properties();
        try {
            p.load(new StringReader((String) content));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Map<String, String> settings = new LinkedHashMap<>();
        for (String key : new TreeSet<>(p.stringPropertyNames())) settings.put(key, p.getProperty(key));
        return settings;
    }

    /** job-api's bootstrap endpoint, read from its source (job-api is not on this test's class path). */
    private static String bootstrapPath() throws IOException {
        Path source = root.resolve("job-api/src/main/java/io/crossjobs/jobapi/controller/ControllerBootstrap.java");
        Matcher m = Pattern.compile("\\bString PATH = \"([^\"]+)\";").matcher(Files.readString(source));
        assertTrue(m.find(), source + " declares PATH");
        return m.group(1);
    }

    private static Set<String> createdTopics() {
        String script = String.join(" ", list(services.get("kafka-topics"), "command").stream().map(Object::toString).toList());
        Matcher loop = Pattern.compile("for topic in ([^;]+);").matcher(script);
        assertTrue(loop.find(), "kafka-topics loops over its topics: " + script);
        return new TreeSet<>(List.of(loop.group(1).trim().split("\\s+")));
    }

    /** The broker setting an apache/kafka image variable sets: KAFKA_ dropped, ___ is '-', __ is '_', _ is '.'. */
    private static String brokerSetting(String env) {
        String rest = env.substring("KAFKA_".length());
        StringBuilder b = new StringBuilder(rest.length());
        for (int i = 0; i < rest.length(); ) {
            if (rest.startsWith("___", i)) { b.append('-'); i += 3; }
            else if (rest.startsWith("__", i)) { b.append('_'); i += 2; }
            else if (rest.charAt(i) == '_') { b.append('.'); i++; }
            else { b.append(Character.toLowerCase(rest.charAt(i))); i++; }
        }
        return b.toString();
    }

    /** Kafka's INTERNAL advertised listener as host → port. */
    private static Map.Entry<String, Integer> internalKafkaListener() {
        String advertised = environment("kafka").get("KAFKA_ADVERTISED_LISTENERS");
        Matcher m = Pattern.compile("INTERNAL://([^:,]+):(\\d+)").matcher(advertised);
        assertTrue(m.find(), advertised);
        return Map.entry(m.group(1), Integer.parseInt(m.group(2)));
    }

    private static String namedVolumeAt(String service, String path) {
        return list(services.get(service), "volumes").stream().map(Object::toString)
                .filter(v -> v.split(":")[1].equals(path)).map(v -> v.split(":")[0]).findFirst()
                .orElseThrow(() -> new AssertionError(service + " has no volume at " + path));
    }

    private static int httpPort(String module) {
        String port = ServiceConfigKeys.applicationProperties(root, module).getProperty("quarkus.http.port");
        assertNotNull(port, module + " sets quarkus.http.port");
        return Integer.parseInt(port);
    }

    private static Set<Integer> exposedPorts(String module) throws IOException {
        Set<Integer> ports = new LinkedHashSet<>();
        for (String line : Files.readAllLines(root.resolve(module).resolve("Dockerfile"))) {
            if (line.startsWith("EXPOSE ")) {
                for (String p : line.substring(7).trim().split("\\s+")) ports.add(Integer.parseInt(p.replace("/tcp", "")));
            }
        }
        return ports;
    }

    /** A service's environment as written (variables not interpolated), values as strings. */
    private static Map<String, String> environment(String service) {
        Map<String, String> env = new LinkedHashMap<>();
        Object raw = services.get(service).get("environment");
        if (raw instanceof List<?> entries) {
            for (Object e : entries) {
                String s = e.toString();
                env.put(s.contains("=") ? s.substring(0, s.indexOf('=')) : s, s.contains("=") ? s.substring(s.indexOf('=') + 1) : "");
            }
        } else if (raw != null) {
            asMap(raw).forEach((k, v) -> env.put(k, String.valueOf(v)));
        }
        return env;
    }

    private static Map<String, Object> map(Map<String, Object> parent, String key) {
        Map<String, Object> m = asMapOrNull(parent.get(key));
        assertNotNull(m, "a mapping at " + key);
        return m;
    }

    private static List<Object> list(Map<String, Object> parent, String key) {
        Object v = parent.get(key);
        if (v == null) return List.of();
        if (v instanceof List<?> l) return new ArrayList<>(l);
        return List.of(v);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> asMap(Object o) {
        return (Map<String, Object>) Optional.ofNullable(o).orElse(Map.of());
    }

    private static Map<String, Object> asMapOrNull(Object o) {
        return o instanceof Map<?, ?> ? asMap(o) : null;
    }
}

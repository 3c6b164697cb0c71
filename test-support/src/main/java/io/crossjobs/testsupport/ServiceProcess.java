package io.crossjobs.testsupport;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * A JVM child process: one of the project's Quarkus services (its {@code target/quarkus-app} jar) or a
 * main class of this module. Output goes to a log file; {@link #awaitReady} waits for readiness.
 */
public final class ServiceProcess implements AutoCloseable {
    /**
     * The JVM options of every process started here (and of the controller the keeper starts): C1 only and the serial
     * collector. These JVMs share two cores with many others, where C2's compiler threads and G1's helpers cost more
     * CPU than they give back.
     */
    public static final List<String> JVM_FLAGS = List.of("-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1");
    private final String name;
    private final Process process;
    private final Path log;
    /** Where this run's output starts: the log is appended to across restarts. */
    private final long logStart;

    private ServiceProcess(String name, Process process, Path log, long logStart) {
        this.name = name;
        this.process = process;
        this.log = log;
        this.logStart = logStart;
    }

    /**
     * Starts {@code <root>/<module>/target/quarkus-app/quarkus-run.jar} with the given config, written to a settings
     * file beside the log that only this user may read ({@link #settingsFile}) rather than onto the command line,
     * which every user of the machine sees in {@code ps}: tokens, keys and passwords stay out of it.
     */
    public static ServiceProcess quarkusApp(Path root, String module, Map<String, String> config, Path log,
                                            String... jvmOptions) throws IOException {
        return quarkusApp(root, module, config, log, 0, jvmOptions);
    }

    /**
     * The same, run under {@code nice -n niceness} when that is above 0 and a {@code nice} command is on the PATH:
     * a lower CPU priority, inherited by every thread the JVM starts.
     */
    public static ServiceProcess quarkusApp(Path root, String module, Map<String, String> config, Path log,
                                            int niceness, String... jvmOptions) throws IOException {
        Path jar = root.resolve(module).resolve("target/quarkus-app/quarkus-run.jar");
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " is missing: build it first (mvn -DskipTests package)");
        }
        List<String> cmd = new ArrayList<>();
        if (niceness > 0) onPath("nice").ifPresent(nice -> cmd.addAll(List.of(nice, "-n", String.valueOf(niceness))));
        cmd.add(javaBin());
        cmd.addAll(JVM_FLAGS);
        cmd.addAll(List.of(jvmOptions));
        Path settings = settingsFile(log, module);
        Files.createDirectories(log.getParent());
        Map<String, String> withOrdinal = new java.util.LinkedHashMap<>(config);
        // the ordinal of system properties: the values win over the application's own, as -D flags would
        withOrdinal.put("config_ordinal", "400");
        PrivateFiles.writeProperties(settings, withOrdinal, "settings of " + module + ", readable by its user only");
        cmd.add("-Dquarkus.config.locations=" + settings.toUri());
        cmd.addAll(List.of("-jar", jar.toString()));
        return start(module, cmd, log);
    }

    /** Where a service's settings go: {@code <log dir>/<module>.settings.properties}. */
    public static Path settingsFile(Path log, String module) {
        return log.resolveSibling(module + ".settings.properties");
    }

    /** Starts a main class of this module (Kafka, PostgreSQL) on the current JVM's class path. */
    public static ServiceProcess mainClass(String name, Class<?> main, Path log, String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(javaBin(), "-Xmx512m"));
        cmd.addAll(JVM_FLAGS);
        cmd.addAll(List.of("-Dorg.slf4j.simpleLogger.defaultLogLevel=warn", "-cp", System.getProperty("java.class.path"),
                main.getName()));
        cmd.addAll(List.of(args));
        return start(name, cmd, log);
    }

    private static ServiceProcess start(String name, List<String> cmd, Path log) throws IOException {
        Files.createDirectories(log.getParent());
        long logStart = Files.exists(log) ? Files.size(log) : 0;
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        return new ServiceProcess(name, p, log, logStart);
    }

    public long pid() { return process.pid(); }

    public String name() { return name; }

    public Path log() { return log; }

    public boolean isAlive() { return process.isAlive(); }

    /** How the process ended: its exit code (128 + the signal's number when a signal ended it); empty while it runs. */
    public java.util.OptionalInt exitCode() {
        return process.isAlive() ? java.util.OptionalInt.empty() : java.util.OptionalInt.of(process.exitValue());
    }

    /** Waits until {@code GET http://127.0.0.1:port/q/health/ready} answers 200. */
    public ServiceProcess awaitHttpReady(int port, Duration timeout) {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        HttpRequest ready = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/q/health/ready"))
                .timeout(Duration.ofSeconds(5)).build();
        return awaitReady(timeout, () -> {
            try {
                return http.send(ready, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
            } catch (IOException e) {
                return false;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        });
    }

    /** Waits until this run of the process has written {@code line} to its log. */
    public ServiceProcess awaitLogLine(String line, Duration timeout) {
        return awaitReady(timeout, () -> {
            try (var in = Files.newInputStream(log)) {
                in.skipNBytes(logStart);
                return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).contains(line);
            } catch (IOException e) {
                return false;
            }
        });
    }

    private ServiceProcess awaitReady(Duration timeout, BooleanSupplier ready) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException(name + " exited with code " + process.exitValue() + "; see " + log);
            }
            if (ready.getAsBoolean()) return this;
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for " + name);
            }
        }
        throw new IllegalStateException(name + " not ready after " + timeout + "; see " + log);
    }

    /** SIGTERM, then SIGKILL after 20 s. */
    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(20, TimeUnit.SECONDS)) process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }

    /** Stops processes side by side: each is asked to stop at once, then each is waited for as {@link #close} does. */
    public static void closeAll(List<ServiceProcess> processes) {
        processes.forEach(p -> p.process.destroy());
        processes.forEach(ServiceProcess::close);
    }

    /** kill -9, for crash tests; returns once the process is gone. */
    public void kill() {
        process.destroyForcibly();
        try {
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static java.util.Optional<String> onPath(String command) {
        String path = System.getenv("PATH");
        if (path == null) return java.util.Optional.empty();
        return java.util.Arrays.stream(path.split(java.io.File.pathSeparator))
                .map(dir -> Path.of(dir, command)).filter(Files::isExecutable).map(Path::toString).findFirst();
    }

    /** The java command of this JVM, which every process of the local stack runs on. */
    public static String javaBin() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }
}

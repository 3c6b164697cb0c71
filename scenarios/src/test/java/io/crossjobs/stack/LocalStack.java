package io.crossjobs.stack;

import io.crossjobs.testsupport.ProjectRoot;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.Optional;

/**
 * Starts the whole stack once per test JVM, on free ports and a fresh state directory of that JVM
 * ({@code scenarios/target/it-stack-<n>}), with the same launcher code as {@code ./crossjobs up}; it is stopped
 * when the test JVM ends.
 */
public final class LocalStack implements BeforeAllCallback {
    /** Where the controller is placed at the first start. */
    public static final String CONTROLLER_CLOUD = "gcp";
    /**
     * A value only the controller's own settings hold, standing for its Kafka and PostgreSQL credentials: tests look
     * for it in user data, tags, answers and logs, where it must never appear.
     */
    public static final String CANARY = "canary-" + java.util.UUID.randomUUID();
    static final String CANARY_SETTING = "crossjobs.test.credential-canary";
    private static Stack stack;
    /** Held while this JVM runs: its state directory is no other JVM's. */
    private static FileChannel stateLock;

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        synchronized (LocalStack.class) {
            if (stack != null) return;
            Path root = ProjectRoot.find();
            Path state = ownStateDirectory(root.resolve("scenarios/target"));
            try (var old = Files.walk(state)) {
                old.sorted(java.util.Comparator.reverseOrder()).filter(p -> !p.equals(state))
                        .forEach(p -> p.toFile().delete());
            }
            StackConfig config = StackConfig.onFreePorts(state,
                    Optional.ofNullable(System.getenv("CROSSJOBS_TEST_KAFKA_BOOTSTRAP")),
                    Optional.ofNullable(System.getenv("CROSSJOBS_TEST_PG_URL")))
                    // the controller lives on another cloud than most test jobs, as JOBS_CONTROLLER_RESOURCES_CLOUD=gcp
                    .withControllerCloud(CONTROLLER_CLOUD);
            long t0 = System.nanoTime();
            // a quiet node's output is read every 2 s (nodes ship every 2 s) instead of backing off to 5 s, so a
            // job's exit is seen about 3 s sooner
            Map<String, String> provisioner = Map.of("crossjobs.provisioner.quiet-output-read-interval", "2s");
            // the same services, with waits shortened so that retries and recoveries fit a test's patience
            // a longer boot leaves a cancel during STARTING time to happen
            stack = new Stack(config, root, System.out, Map.of(
                    "controller-service", Map.of("crossjobs.controller.backoff.initial", "1s",
                            "crossjobs.controller.backoff.max", "2s", CANARY_SETTING, CANARY),
                    "provisioner-aws", provisioner, "provisioner-gcp", provisioner, "provisioner-azure", provisioner,
                    "mock-cloud", Map.of("mock-cloud.boot-delay", "2s"),
                    // webhooks reach receivers on this machine (ChatNotificationsIT), which are private addresses
                    "job-api", Map.of("jobapi.webhooks.allow-private-hosts", "true"))).start();
            System.out.printf("LocalStack: started in %d ms, logs in %s%n", (System.nanoTime() - t0) / 1_000_000,
                    config.logDir());
            // stopped when the JVM ends, not with JUnit's root context: failsafe runs each class of a test JVM it
            // reuses as a run of its own, whose end would stop the stack under the next class
            Stack started = stack;
            Runtime.getRuntime().addShutdownHook(new Thread(started::close, "local-stack-stop"));
        }
    }

    /**
     * The first {@code it-stack-<n>} directory no other test JVM holds: failsafe runs the scenarios in several JVMs
     * side by side (stack's pom), each with its own stack. A JVM holds its directory by a lock on
     * {@code it-stack-<n>.lock} as long as it runs; the operating system lets the lock go when the JVM ends.
     */
    private static Path ownStateDirectory(Path target) throws IOException {
        Files.createDirectories(target);
        for (int n = 1; ; n++) {
            FileChannel lock = FileChannel.open(target.resolve("it-stack-" + n + ".lock"),
                    StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            if (lock.tryLock() != null) {
                stateLock = lock;
                return Files.createDirectories(target.resolve("it-stack-" + n));
            }
            lock.close();
        }
    }

    public static StackConfig config() { return stack.config(); }

    public static String adminToken() { return stack.adminToken(); }

    public static Stack stack() { return stack; }
}

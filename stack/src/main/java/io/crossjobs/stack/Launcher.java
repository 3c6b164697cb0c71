package io.crossjobs.stack;

import io.crossjobs.testsupport.ProjectRoot;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** {@code ./crossjobs up | down | status}: the local stack's command line. */
public final class Launcher {
    /** Set by the shutdown hook, so that services stopping on purpose are not reported as dying. */
    private static volatile boolean stopping;

    public static void main(String[] args) throws Exception {
        String command = args.length == 0 ? "help" : args[0];
        Path root = ProjectRoot.find();
        StackConfig config = StackConfig.fromEnvironment(root);
        int code = switch (command) {
            case "up" -> up(config, root);
            case "down" -> down(config);
            case "status" -> status(config);
            default -> help();
        };
        System.exit(code);
    }

    private static int up(StackConfig config, Path root) throws Exception {
        List<RunningProcess> running = RunningProcess.fromPidFile(launcherPidFile(config)).stream()
                .filter(RunningProcess::isAlive).toList();
        if (!running.isEmpty()) {
            System.err.println("crossjobs: the stack is already running (" + describe(running)
                    + "); stop it with ./crossjobs down");
            return 1;
        }
        System.out.println("crossjobs: starting the local stack, state in " + config.stateDir());
        Files.createDirectories(config.stateDir());
        Files.writeString(launcherPidFile(config), ProcessHandle.current().pid() + " launcher\n");
        Stack stack = new Stack(config, root, System.out);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            stopping = true;
            System.out.println("\ncrossjobs: stopping the stack");
            stack.close();
            try {
                Files.deleteIfExists(launcherPidFile(config));
            } catch (IOException ignored) {
                // nothing to clean then
            }
            stopped.countDown();
        }));
        try {
            stack.start();
        } catch (Exception e) {
            System.err.println("crossjobs: the stack did not start: " + e.getMessage());
            return 1;
        }
        System.out.println();
        System.out.println("crossjobs: ready. Run a job:     ./crossjobs launch examples/hello.yaml");
        System.out.println("  the dashboard:                 http://127.0.0.1:" + config.jobApiPort() + "/ (sign in with the"
                + " admin token in " + config.stateDir().resolve("admin-token") + ")");
        System.out.println("  the API:                       http://127.0.0.1:" + config.jobApiPort()
                + "/jobs (Authorization: Bearer <that token>)");
        System.out.println("Logs of each service are in " + config.logDir() + ". Ctrl-C or ./crossjobs down stops everything.");
        watch(stack, stopped);
        return 0;
    }

    /** Waits for Ctrl-C or `down`, and says so once when a service dies on its own. */
    private static void watch(Stack stack, CountDownLatch stopped) throws InterruptedException {
        Set<String> reported = new HashSet<>();
        while (!stopped.await(2, TimeUnit.SECONDS)) {
            stack.processes().stream().filter(p -> !stopping && !p.isAlive() && reported.add(p.name())).forEach(p ->
                    System.err.println("crossjobs: " + p.name() + " exited; see " + p.log()));
        }
    }

    private static int down(StackConfig config) throws IOException, InterruptedException {
        List<RunningProcess> alive = new ArrayList<>();
        RunningProcess.fromPidFile(launcherPidFile(config)).stream().filter(RunningProcess::isAlive).forEach(alive::add);
        // the launcher's shutdown hook stops its children in reverse start order: let it, then stop stragglers
        for (RunningProcess launcher : List.copyOf(alive)) launcher.stop(Duration.ofSeconds(90));
        List<RunningProcess> children = new ArrayList<>(RunningProcess.fromPidFile(config.pidFile()).stream()
                .filter(RunningProcess::isAlive).toList());
        Collections.reverse(children);
        for (RunningProcess p : children) p.stop(Duration.ofSeconds(30));
        alive.addAll(children);
        Files.deleteIfExists(config.pidFile());
        Files.deleteIfExists(launcherPidFile(config));
        System.out.println(alive.isEmpty() ? "crossjobs: no stack is running" : "crossjobs: stopped " + describe(alive));
        return 0;
    }

    private static Path launcherPidFile(StackConfig config) { return config.stateDir().resolve("launcher.pid"); }

    private static int status(StackConfig config) throws IOException {
        List<RunningProcess> processes = new ArrayList<>(RunningProcess.fromPidFile(launcherPidFile(config)));
        processes.addAll(RunningProcess.fromPidFile(config.pidFile()));
        if (processes.isEmpty()) {
            System.out.println("crossjobs: no stack is running");
            return 1;
        }
        for (RunningProcess p : processes) {
            System.out.printf("%-20s pid %-8d %s%n", p.name(), p.pid(), p.isAlive() ? "running" : "gone");
        }
        System.out.printf("%-20s %s%n", Stack.CONTROLLER, controllerLine(config));
        return 0;
    }

    /** The controller is a mock VM's process, not one of the launcher's: job-api's keeper says where it runs. */
    private static String controllerLine(StackConfig config) {
        try {
            String token = Files.readString(config.stateDir().resolve("admin-token")).trim();
            var status = new ControllerView(java.net.URI.create("http://127.0.0.1:" + config.jobApiPort()), token)
                    .refresh();
            var vm = status.path("effective");
            if (vm.isNull() || vm.isMissingNode()) return status.path("state").asText() + ": " + status.path("message").asText();
            return vm.path("state").asText().toLowerCase(java.util.Locale.ROOT) + " in VM " + vm.path("clusterName").asText()
                    + " on " + vm.path("cloud").asText() + "/" + vm.path("region").asText() + "/" + vm.path("zone").asText()
                    + " (" + vm.path("instanceType").asText() + "), pid " + vm.path("process").asText();
        } catch (IOException | RuntimeException e) {
            return "unknown: job-api did not answer (" + e.getMessage() + ")";
        }
    }

    private static int help() {
        System.out.println("""
                usage: ./crossjobs COMMAND
                  up       start PostgreSQL, Kafka, mock-cloud and the services; Ctrl-C stops them
                  down     stop a stack started by up
                  status   list the stack's processes
                environment: CROSSJOBS_STATE_DIR, CROSSJOBS_*_PORT, CROSSJOBS_KAFKA_BOOTSTRAP,
                  CROSSJOBS_POSTGRES_HOSTPORT/_USER/_PASSWORD, JOBS_CONTROLLER_RESOURCES_CLOUD (see README)""");
        return 2;
    }

    private static String describe(List<RunningProcess> processes) {
        return processes.stream().map(p -> p.name() + " pid " + p.pid()).reduce((a, b) -> a + ", " + b).orElse("");
    }

    private Launcher() { }
}

package io.crossjobs.stack;

import io.crossjobs.testsupport.ProjectRoot;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;

/** {@code ./crossjobs up | down | status}: the local stack's command line. */
public final class Launcher {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss")
            .withZone(ZoneId.systemDefault());
    private static final String ROW = "%-19s %-8s %-10s %-19s  %-8s  %s%n";

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
        System.out.println("A process that exits on its own is started again, with backoff; ./crossjobs status counts"
                + " the restarts.");
        // the stack's supervisor restarts what exits meanwhile; the shutdown hook ends this wait
        stopped.await();
        return 0;
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
        System.out.printf(ROW, "PROCESS", "PID", "STATE", "UP SINCE", "RESTARTS", "LAST EXIT");
        for (RunningProcess p : processes) {
            System.out.printf(ROW, p.name(), p.pid(), state(p), p.since().map(TIME::format).orElse("-"),
                    p.since().isPresent() ? String.valueOf(p.restarts()) : "-",
                    p.lastExit().map(e -> e.describe() + " at " + TIME.format(e.at())).orElse("-"));
        }
        controllerRow(config);
        return 0;
    }

    private static String state(RunningProcess p) {
        String recorded = p.state().orElse("running");
        if (recorded.equals("given-up")) return "given up";
        if (p.isAlive()) return recorded.equals("running") ? "running" : "restarting";
        return recorded.equals("running") ? "gone" : "restarting";
    }

    /**
     * The controller is a mock VM's process, not one of the launcher's: job-api's keeper says where it runs, and
     * counts as its restarts the VMs it replaced after losing them (among the history entries it keeps).
     */
    private static void controllerRow(StackConfig config) {
        try {
            String token = Files.readString(config.stateDir().resolve("admin-token")).trim();
            var status = new ControllerView(java.net.URI.create("http://127.0.0.1:" + config.jobApiPort()), token)
                    .refresh();
            List<com.fasterxml.jackson.databind.JsonNode> lost = new ArrayList<>();
            status.path("history").forEach(h -> {
                if (h.path("kind").asText().equals("ControllerVmLost")) lost.add(h);
            });
            String lastLoss = lost.stream().map(h -> h.path("at").asText()).max(String::compareTo)
                    .map(at -> "VM lost at " + TIME.format(java.time.Instant.parse(at)) + "; ").orElse("");
            var vm = status.path("effective");
            if (vm.isNull() || vm.isMissingNode()) {
                System.out.printf(ROW, Stack.CONTROLLER, "-", status.path("state").asText().toLowerCase(Locale.ROOT),
                        "-", lost.size(), lastLoss + status.path("message").asText());
                return;
            }
            String process = vm.path("process").asText();
            String upSince = vm.path("upSince").isTextual()
                    ? TIME.format(java.time.Instant.parse(vm.path("upSince").asText())) : "-";
            System.out.printf(ROW, Stack.CONTROLLER, process.contains("@") ? process.substring(0, process.indexOf('@')) : "-",
                    vm.path("state").asText().toLowerCase(Locale.ROOT), upSince, lost.size(),
                    lastLoss + "in VM " + vm.path("clusterName").asText() + " on " + vm.path("cloud").asText() + "/"
                            + vm.path("region").asText() + "/" + vm.path("zone").asText()
                            + " (" + vm.path("instanceType").asText() + ")");
        } catch (IOException | RuntimeException e) {
            System.out.printf(ROW, Stack.CONTROLLER, "-", "unknown", "-", "-",
                    "job-api did not answer (" + e.getMessage() + ")");
        }
    }

    private static int help() {
        System.out.println("""
                usage: ./crossjobs COMMAND
                  up       start PostgreSQL, Kafka, mock-cloud and the services; Ctrl-C stops them
                  down     stop a stack started by up
                  status   list the stack's processes: pid, state, up since, restarts, last exit
                environment: CROSSJOBS_STATE_DIR, CROSSJOBS_*_PORT, CROSSJOBS_KAFKA_BOOTSTRAP,
                  CROSSJOBS_POSTGRES_HOSTPORT/_USER/_PASSWORD, JOBS_CONTROLLER_RESOURCES_CLOUD (see README)""");
        return 2;
    }

    private static String describe(List<RunningProcess> processes) {
        return processes.stream().map(p -> p.name() + " pid " + p.pid()).reduce((a, b) -> a + ", " + b).orElse("");
    }

    private Launcher() { }
}

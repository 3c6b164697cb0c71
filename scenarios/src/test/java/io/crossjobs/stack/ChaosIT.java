package io.crossjobs.stack;

import io.crossjobs.events.JobStatus;
import io.crossjobs.testsupport.ProjectRoot;
import io.restassured.path.json.JsonPath;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Collectors;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The chaos suite: 120 short jobs by default (mock-cloud's simulate mode) while the controller, each
 * provisioner and job-api are killed with SIGKILL and restarted, and Kafka and PostgreSQL are restarted, at
 * moments drawn from a seeded Random. Then it checks that no accepted job was lost, none had two clusters alive
 * at once, nothing is left running, and every submission made exactly one job; and it prints how long work
 * stalled after each kill.
 *
 * <p>Its own stack (state in {@code scenarios/target/chaos-stack}), not {@link LocalStack}'s, so the other black-box
 * tests never see its kills; failsafe runs it first, beside them (stack's pom). {@code -Dchaos.jobs=1000} runs
 * longer (one more round of kills per 200 jobs); {@code -Dchaos.seed=N} replays a schedule.
 */
@Tag("chaos")
class ChaosIT {
    private static final int JOBS = Integer.getInteger("chaos.jobs", 120);
    private static final long SEED = Long.getLong("chaos.seed", System.currentTimeMillis());
    /** Jobs submitted but not finished at any moment: enough to keep every cloud busy through a kill. */
    private static final int IN_FLIGHT = Integer.getInteger("chaos.in-flight", 40);
    private static final Duration DRAIN = Duration.ofSeconds(Long.getLong("chaos.drain-seconds", 180));
    private static final List<String> CLOUDS = List.of("aws", "gcp", "azure");
    /**
     * How soon Kafka gives a killed consumer's partitions to its restarted self: the services' own setting (10 s);
     * {@code -Dchaos.kafka-session-timeout-ms=45000} measures Kafka's default.
     */
    private static final String SESSION_TIMEOUT_MS = System.getProperty("chaos.kafka-session-timeout-ms", "10000");
    /** Status changes a job makes when all goes well: PENDING, STARTING, RUNNING, SUCCEEDED. */
    private static final int CHANGES_PER_JOB = 4;

    private static Stack stack;
    private static StatusSubscriber watch;
    private static Path reportFile;

    /** One kill or restart and what followed it. */
    record Disruption(String target, long atNanos, long readyNanos, int finishedBefore) { }

    @BeforeAll
    static void startOwnStack() throws Exception {
        Path root = ProjectRoot.find();
        Path state = root.resolve("scenarios/target/chaos-stack");
        if (Files.exists(state)) {
            try (var old = Files.walk(state)) {
                old.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
        Files.createDirectories(state);
        reportFile = root.resolve("scenarios/target/chaos-report.txt");
        StackConfig config = StackConfig.onFreePorts(state, Optional.empty(), Optional.empty())
                .withSimulatedWorkloads(true);
        Map<String, String> consumers = Map.of("kafka.session.timeout.ms", SESSION_TIMEOUT_MS,
                "kafka.heartbeat.interval.ms", "1000");
        Map<String, String> controller = new java.util.HashMap<>(consumers);
        controller.putAll(Map.of("crossjobs.controller.backoff.initial", "1s", "crossjobs.controller.backoff.max", "2s"));
        stack = new Stack(config, root, System.out, Map.of(
                "controller-service", controller,
                "provisioner-aws", consumers, "provisioner-gcp", consumers, "provisioner-azure", consumers,
                "job-api", consumers,
                "mock-cloud", Map.of("mock-cloud.boot-delay", "500ms", "mock-cloud.shutdown-delay", "300ms")))
                .start();
        watch = new StatusSubscriber(config.kafkaBootstrap());
    }

    @AfterAll
    static void stopOwnStack() throws Exception {
        if (watch != null) watch.close();
        if (stack != null) stack.close();
    }

    @Test
    void killsAndRestartsLoseNoJobRunNoneTwiceAndLeaveNoVmRunning() throws Exception {
        Random random = new Random(SEED);
        System.out.printf("chaos: seed %d (-Dchaos.seed=%d replays it), %d jobs%n", SEED, SEED, JOBS);
        List<String> schedule = schedule(random);
        List<String> jobs = new ArrayList<>();
        for (int i = 0; i < JOBS; i++) jobs.add(job(i, random));
        StackConfig config = stack.config();
        ChaosSubmitter submitter = new ChaosSubmitter(config, stack.adminToken());
        long t0 = System.nanoTime();

        CompletableFuture<Void> submitting = CompletableFuture.runAsync(() -> {
            for (int i = 0; i < jobs.size(); i++) {
                await().atMost(Duration.ofMinutes(5)).pollInterval(Duration.ofMillis(100))
                        .until(() -> submitter.accepted().size() - finished(submitter).size() < IN_FLIGHT);
                submitter.submit(key(i), jobs.get(i), Duration.ofMinutes(3));
            }
        });

        List<Disruption> disruptions = new ArrayList<>();
        int meanGap = CHANGES_PER_JOB * JOBS / (schedule.size() + 1);
        int from = 0;
        for (String target : schedule) {
            int gap = (int) (meanGap * (0.5 + random.nextDouble()));
            int since = from;
            try {
                await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(100))
                        .until(() -> watch.count() >= since + gap || submitting.isDone());
            } catch (ConditionTimeoutException e) {
                System.out.printf("chaos: no progress for 3 minutes before killing %s%n", target);
            }
            int finished = finished(submitter).size();
            from = watch.count();
            long at = System.nanoTime();
            disrupt(target);
            disruptions.add(new Disruption(target, at, System.nanoTime(), finished));
            System.out.printf("chaos: %6.1f s  %-19s killed and back in %d ms (%d jobs finished so far)%n",
                    seconds(at - t0), target, (System.nanoTime() - at) / 1_000_000, finished);
        }
        submitting.get(5, TimeUnit.MINUTES);
        long submittedAt = System.nanoTime();

        Map<String, ChaosSubmitter.Accepted> accepted = submitter.accepted();
        JobApiClient jobApi = new JobApiClient(config, stack.adminToken());
        Map<String, String> statusById = new TreeMap<>();
        try {
            await().atMost(DRAIN).pollInterval(Duration.ofSeconds(1)).ignoreExceptions().until(() -> {
                statusById.clear();
                statusById.putAll(jobApi.statuses());
                return accepted.values().stream().allMatch(a -> isTerminal(statusById.get(a.jobId())));
            });
        } catch (ConditionTimeoutException e) {
            System.out.printf("chaos: not every job finished within %s of the last submit%n", DRAIN);
        }
        long drainedAt = System.nanoTime();
        List<Map<String, Object>> alive = aliveAfterSettling(config);
        List<Map<String, Object>> overlaps = overlaps(config, 2);

        Set<String> acceptedIds = accepted.values().stream().map(ChaosSubmitter.Accepted::jobId)
                .collect(Collectors.toSet());
        List<String> lost = accepted.values().stream().map(ChaosSubmitter.Accepted::jobId)
                .filter(id -> !isTerminal(statusById.get(id))).sorted().toList();
        Map<String, Long> byStatus = accepted.values().stream()
                .collect(Collectors.groupingBy(a -> String.valueOf(statusById.get(a.jobId())), TreeMap::new,
                        Collectors.counting()));
        Map<String, List<String>> idsByName = jobNames(config, stack.adminToken());
        List<String> extraJobs = idsByName.entrySet().stream().filter(e -> e.getKey().startsWith(namePrefix()))
                .flatMap(e -> e.getValue().stream()).filter(id -> !acceptedIds.contains(id)).sorted().toList();

        String report = report(t0, submittedAt, drainedAt, accepted, submitter, byStatus, lost, extraJobs, overlaps,
                alive, disruptions);
        System.out.print(report);
        Files.writeString(reportFile, report);

        assertAll(
                () -> assertEquals(JOBS, accepted.size(), "every submission was answered"),
                () -> assertEquals(JOBS, acceptedIds.size(), "one job per Idempotency-Key"),
                () -> assertEquals(List.of(), lost, "jobs lost: accepted but never finished"),
                () -> assertEquals(List.of(), extraJobs, "jobs created by a retried submit besides its first"),
                () -> assertEquals(List.of(), overlaps, "jobs that had two clusters alive at once"),
                () -> assertEquals(List.of(), alive, "instances still running after the drain"),
                () -> assertEquals(Map.of("SUCCEEDED", (long) JOBS), byStatus, "every job succeeded"));
    }

    /** Each target once per round, in a seeded order; a round per 200 jobs. */
    private static List<String> schedule(Random random) {
        List<String> targets = List.of("controller-service", "provisioner-aws", "provisioner-gcp",
                "provisioner-azure", "job-api", "kafka", "postgres");
        List<String> all = new ArrayList<>();
        for (int round = 0; round < Math.max(1, (JOBS + 199) / 200); round++) {
            List<String> order = new ArrayList<>(targets);
            Collections.shuffle(order, random);
            all.addAll(order);
        }
        return all;
    }

    private static void disrupt(String target) throws Exception {
        switch (target) {
            case "kafka" -> {
                stack.stopKafka(true);
                stack.startKafkaAgain();
            }
            case "postgres" -> {
                stack.stopPostgres();
                stack.startPostgresAgain();
            }
            // the controller runs in a mock VM: its process is killed there, and the keeper brings up another VM
            case "controller-service" -> stack.crashController();
            default -> stack.restart(target, true, Map.of());
        }
    }

    private static String namePrefix() { return "chaos-" + SEED + "-"; }

    private static String key(int i) { return "chaos-" + SEED + "-" + i; }

    /** A short simulated run on one of the three clouds, in turn. */
    private static String job(int i, Random random) {
        int durationMs = 500 + random.nextInt(2500);
        return """
                {"name":"%s%d","resources":{"cloud":"%s"},
                 "envs":{"CROSSJOBS_SIM_DURATION_MS":"%d","CROSSJOBS_SIM_EXIT_CODE":"0"},
                 "run":"echo chaos job %d"}""".formatted(namePrefix(), i, CLOUDS.get(i % CLOUDS.size()), durationMs, i);
    }

    private static Set<String> finished(ChaosSubmitter submitter) {
        Set<String> ids = submitter.accepted().values().stream().map(ChaosSubmitter.Accepted::jobId)
                .collect(Collectors.toSet());
        return watch.finishedJobs().stream().filter(ids::contains).collect(Collectors.toSet());
    }

    private static boolean isTerminal(String status) {
        return status != null && JobStatus.valueOf(status).isTerminal();
    }

    private static Map<String, List<String>> jobNames(StackConfig config, String token) {
        Map<String, List<String>> out = new TreeMap<>();
        forEachJob(config, token, job -> out.computeIfAbsent(String.valueOf(job.get("name")), n -> new ArrayList<>())
                .add(String.valueOf(job.get("id"))));
        return out;
    }

    private static void forEachJob(StackConfig config, String token, java.util.function.Consumer<Map<String, Object>> each) {
        String cursor = null;
        do {
            var request = given().baseUri("http://127.0.0.1:" + config.jobApiPort()).auth().oauth2(token)
                    .queryParam("limit", 500);
            if (cursor != null) request.queryParam("cursor", cursor);
            JsonPath page = request.when().get("/jobs").then().statusCode(200).extract().jsonPath();
            List<Map<String, Object>> items = page.getList("items");
            items.forEach(each);
            cursor = page.getString("nextCursor");
        } while (cursor != null);
    }

    /** Instances still pending or running once a minute has passed without them all going away. */
    private static List<Map<String, Object>> aliveAfterSettling(StackConfig config) {
        try {
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).ignoreExceptions()
                    .until(() -> inventory(config, true), List::isEmpty);
            return List.of();
        } catch (ConditionTimeoutException e) {
            return inventory(config, true);
        }
    }

    /** The jobs' instances; the controller's own VM lives on. */
    private static List<Map<String, Object>> inventory(StackConfig config, boolean alive) {
        return given().baseUri("http://127.0.0.1:" + config.mockCloudPort()).queryParam("alive", alive)
                .queryParam("role", "job")
                .when().get("/mock/inventory").then().statusCode(200).extract().jsonPath().getList("$");
    }

    private static List<Map<String, Object>> overlaps(StackConfig config, int min) {
        return given().baseUri("http://127.0.0.1:" + config.mockCloudPort()).queryParam("min", min)
                .when().get("/mock/overlaps").then().statusCode(200).extract().jsonPath().getList("$");
    }

    /** When work of the kind the target serves first moved again after the kill. */
    private static Optional<Long> resumedAt(Disruption d, ChaosSubmitter submitter) {
        if (d.target().equals("job-api")) return submitter.firstAnswerSince(d.readyNanos());
        Predicate<StatusSubscriber.StatusEvent> relevant = c -> true;
        if (d.target().startsWith("provisioner-")) {
            // RUNNING and the end of a run are what only the provisioner can report
            String cloud = d.target().substring("provisioner-".length());
            relevant = c -> cloud.equals(c.cloud()) && c.to() != null
                    && (c.to().equals("RUNNING") || isTerminal(c.to()));
        }
        return watch.firstSince(d.atNanos(), relevant).map(StatusSubscriber.StatusEvent::receivedNanos);
    }

    private static String report(long t0, long submittedAt, long drainedAt, Map<String, ChaosSubmitter.Accepted> accepted,
                                 ChaosSubmitter submitter, Map<String, Long> byStatus, List<String> lost,
                                 List<String> extraJobs, List<Map<String, Object>> overlaps,
                                 List<Map<String, Object>> alive, List<Disruption> disruptions) {
        StringBuilder r = new StringBuilder();
        r.append(String.format("%n=== chaos report (seed %d, %d jobs, at most %d unfinished at once, Kafka session timeout %s ms) ===%n",
                SEED, JOBS, IN_FLIGHT, SESSION_TIMEOUT_MS));
        r.append(String.format("submitted and accepted     %d (in %.1f s; %d resends after lost answers, %d answered 200 = replay of an earlier send)%n",
                accepted.size(), seconds(submittedAt - t0), submitter.retries(), submitter.replays()));
        r.append(String.format("final statuses             %s (all finished %.1f s after the start)%n", byStatus,
                seconds(drainedAt - t0)));
        r.append(String.format("jobs lost                  %d %s%n", lost.size(), lost.isEmpty() ? "" : lost));
        r.append(String.format("duplicate jobs             %d %s%n", extraJobs.size(), extraJobs.isEmpty() ? "" : extraJobs));
        r.append(String.format("jobs with 2+ live clusters %d %s%n", overlaps.size(), overlaps.isEmpty() ? "" : overlaps));
        r.append(String.format("instances alive at the end %d %s%n", alive.size(), alive.isEmpty() ? ""
                : alive.stream().map(i -> i.get("id") + " " + i.get("tags")).toList()));
        r.append(String.format("%n%-8s %-19s %10s %12s  %s%n", "at (s)", "killed", "back (ms)", "stall (ms)",
                "stall = kill until work of that kind moved again"));
        for (Disruption d : disruptions) {
            Optional<Long> resumed = resumedAt(d, submitter);
            String what = switch (d.target()) {
                case "job-api" -> "next submit answered";
                case "controller-service", "kafka", "postgres" -> "next status change of any job";
                default -> "next RUNNING/finished job on " + d.target().substring("provisioner-".length());
            };
            r.append(String.format("%8.1f %-19s %10d %12s  %s%n", seconds(d.atNanos() - t0), d.target(),
                    (d.readyNanos() - d.atNanos()) / 1_000_000,
                    resumed.map(t -> String.valueOf((t - d.atNanos()) / 1_000_000)).orElse("-"), what));
        }
        return r.toString();
    }

    private static double seconds(long nanos) { return nanos / 1e9; }
}

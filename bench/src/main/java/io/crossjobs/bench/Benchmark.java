package io.crossjobs.bench;

import io.crossjobs.stack.Stack;
import io.crossjobs.stack.StackConfig;
import io.crossjobs.testsupport.ProjectRoot;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code ./crossjobs bench}: starts the whole stack on free ports with mock-cloud simulating workloads (no
 * process per VM), measures raw Kafka and PostgreSQL on the same broker and database, then loads crossjobs:
 * a fixed offered rate, the target rate, saturation, a drain, a light load on the drained line, a climb to
 * thousands of live jobs, a cancel of them all at once, and the queue's first page with many jobs in the database.
 * Prints a table, writes JSON.
 */
public final class Benchmark {
    /** Kept short and exact, so "cloud running" can be derived from the instance's launch time. */
    static final Duration BOOT_DELAY = Duration.ofSeconds(2);

    private Benchmark() { }

    public static void main(String[] args) throws Exception {
        // this JVM's Kafka clients would print their whole configuration at INFO
        System.setProperty("org.slf4j.simpleLogger.log.org.apache.kafka", "warn");
        BenchOptions options;
        try {
            options = BenchOptions.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("crossjobs bench: " + e.getMessage());
            System.exit(2);
            return;
        }
        Path root = ProjectRoot.find();
        BenchReport report = run(root, options);
        System.out.println();
        System.out.print(report.table());
        Path out = root.resolve(options.report());
        Files.createDirectories(out.toAbsolutePath().getParent());
        report.writeJson(out);
        System.out.println("report: " + out);
    }

    static BenchReport run(Path root, BenchOptions o) throws Exception {
        Path state = root.resolve("bench/target/bench-stack");
        deleteRecursively(state);
        StackConfig config = StackConfig.onFreePorts(state, Optional.empty(), Optional.empty()).withSimulatedWorkloads(true);
        // no pacing to the clouds' request limits either: mock-cloud enforces none in this run (see below)
        Map<String, String> provisioner = Map.of("crossjobs.provisioner.pacing", "false");
        Map<String, Map<String, String>> overrides = Map.of(
                "provisioner-aws", provisioner, "provisioner-gcp", provisioner, "provisioner-azure", provisioner,
                // terminated VMs are kept 60 s, not 10 min: the simulator walks every VM it keeps on each tick, and
                // tens of thousands of finished ones would cost the cores the line runs on
                // this run measures crossjobs' own line, so the clouds' request limits are off here; what they cost
                // is the burst benchmark's figure
                "mock-cloud", Map.of("mock-cloud.boot-delay", BOOT_DELAY.toMillis() + "ms",
                        "mock-cloud.tick-interval", "20ms", "mock-cloud.shutdown-delay", "500ms",
                        "mock-cloud.terminated-retention", "60s", "mock-cloud.api-limits.aws", "false",
                        "mock-cloud.api-limits.gcp", "false", "mock-cloud.api-limits.azure", "false"),
                "controller-service", Map.of("crossjobs.controller.max-concurrent-launches",
                        String.valueOf(o.launchSlots())));
        BenchReport report = new BenchReport(Instant.now(), o, Runtime.getRuntime().availableProcessors());
        try (Stack stack = new Stack(config, root, System.out, overrides).start();
             LineTracer tracer = new LineTracer(config.kafkaBootstrap())) {
            // Ctrl-C ends the run: the stack's processes go with it
            Runtime.getRuntime().addShutdownHook(new Thread(stack::close));
            Path pgData = state.resolve("postgres");
            // the controller runs in a mock VM; its pid is what its heartbeat reports
            long controllerPid = stack.controllerView().awaitServing(java.time.Duration.ofMinutes(1)).pid();
            JobApi api = new JobApi(config.jobApiPort(), stack.adminToken(), Math.max(64, o.concurrency()));
            long jobMillis = o.jobSeconds() * 1000L;
            if (o.warmup() > 0) {
                say("warm-up: %d submissions the controller refuses (no cloud can place them) at %d/s", o.warmup(),
                        o.rate());
                SubmissionLoad.Result warmup = SubmissionLoad.openLoop(api, o.rate(), o.warmup(),
                        i -> JobApi.infeasibleJob("warmup-" + i));
                awaitFinished(tracer, warmup.accepted.keySet(), Duration.ofSeconds(o.drainSeconds()), () -> { });
            }
            say("raw baselines: %d Kafka hops and %d PostgreSQL commits at %d/s", o.rawSamples(), o.rawSamples(),
                    o.rate());
            report.rawKafkaHop = RawBaselines.kafkaHop(config.kafkaBootstrap(), o.rawSamples(), o.rate()).summary();
            report.rawPostgresCommit = RawBaselines.postgresCommit(config.postgresHostPort(), config.postgresUser(),
                    stack.config().postgresPassword(), o.rawSamples(), o.rate()).summary();

            say("fixed load: %d submissions/s for %d s", o.rate(), o.loadSeconds());
            Map<String, Double> cpuAtStart = CpuProbe.snapshot(stack.processes(), pgData, controllerPid);
            SubmissionLoad.Result fixed = SubmissionLoad.openLoop(api, o.rate(), o.rate() * o.loadSeconds(),
                    i -> JobApi.simulatedJob("load-" + i, jobMillis));
            report.fixedLoad = BenchReport.Submissions.of(o.rate(), fixed);
            Map<String, Double> cpuAfterLoad = CpuProbe.snapshot(stack.processes(), pgData, controllerPid);
            java.util.Set<String> loadJobs = new java.util.HashSet<>(fixed.accepted.keySet());
            if (o.targetRate() > 0) {
                say("target rate: %d submissions/s for %d s", o.targetRate(), o.loadSeconds());
                SubmissionLoad.Result target = SubmissionLoad.openLoop(api, o.targetRate(),
                        o.targetRate() * o.loadSeconds(), i -> JobApi.simulatedJob("target-" + i, jobMillis));
                report.targetLoad = BenchReport.Submissions.of(o.targetRate(), target);
                loadJobs.addAll(target.accepted.keySet());
            }
            say("saturation: %d requests in flight for %d s", o.concurrency(), o.saturationSeconds());
            SubmissionLoad.Result saturation = SubmissionLoad.closedLoop(api, o.concurrency(), o.saturationSeconds(),
                    i -> JobApi.simulatedJob("sat-" + i, jobMillis));
            report.saturation = BenchReport.Submissions.of(null, saturation);

            loadJobs.addAll(saturation.accepted.keySet());
            say("drain: waiting (at most %d s) for the %d jobs to finish", o.drainSeconds(), loadJobs.size());
            MockCloudLaunches launches = new MockCloudLaunches(config.mockCloudPort());
            long drained = awaitFinished(tracer, loadJobs, Duration.ofSeconds(o.drainSeconds()), launches);
            report.drainSeconds = drained < 0 ? null : drained / 1000d;
            report.cpu = BenchReport.Cpu.of(CpuProbe.used(cpuAtStart, cpuAfterLoad),
                    CpuProbe.used(cpuAtStart, CpuProbe.snapshot(stack.processes(), pgData, controllerPid)), loadJobs.size());
            report.launchesInFlightMax = tracer.maxLaunchesInFlight();
            report.hops = hops(fixed, tracer, launches.byJob());
            report.brokerHops = new LinkedHashMap<>();
            tracer.brokerHops().forEach((topic, l) -> report.brokerHops.put(topic, l.summary()));

            if (o.lightRate() > 0) {
                say("light load, on the drained line: %d submissions/s for %d s, then until they finish", o.lightRate(),
                        o.loadSeconds());
                SubmissionLoad.Result light = SubmissionLoad.openLoop(api, o.lightRate(),
                        o.lightRate() * o.loadSeconds(), i -> JobApi.simulatedJob("light-" + i, jobMillis));
                MockCloudLaunches lightLaunches = new MockCloudLaunches(config.mockCloudPort());
                awaitFinished(tracer, light.accepted.keySet(), Duration.ofSeconds(o.drainSeconds()), lightLaunches);
                report.lightLoad = BenchReport.Submissions.of(o.lightRate(), light);
                report.lightHops = hops(light, tracer, lightLaunches.byJob());
            }
            report.liveJobs = climb(api, tracer, controllerPid, o);
            if (!o.liveLevels().isEmpty()) {
                report.bulkCancel = BulkCancel.run(config.jobApiPort(), stack.adminToken(), config.mockCloudPort(),
                        tracer, Duration.ofSeconds(o.drainSeconds()));
            }
            if (o.queueJobs() > 0) report.queue = QueueSpeed.run(stack.config(), stack.adminToken(), o.queueJobs(),
                    o.queueRequests());
            api.close();
        }
        return report;
    }

    private static Map<String, Latencies.Summary> hops(SubmissionLoad.Result load, LineTracer tracer,
                                                       Map<String, Instant> cloudLaunch) {
        Map<String, Latencies> hops = new LinkedHashMap<>();
        for (String name : List.of("submit → outbox → job-requests", "job-requests → controller → launch command",
                "launch command → provisioner → cloud call", "cloud running → provisioner poll → provision event",
                "provision event → controller → job-status at subscriber", "cloud running → job-status at subscriber")) {
            hops.put(name, new Latencies());
        }
        List<Latencies> h = new ArrayList<>(hops.values());
        load.accepted.forEach((id, submittedAt) -> {
            LineTracer.JobTrace t = tracer.job(id);
            Instant launched = cloudLaunch.get(id);
            if (t == null) return;
            long runningAt = launched == null ? 0 : launched.plus(BOOT_DELAY).toEpochMilli();
            between(h.get(0), submittedAt.toEpochMilli(), t.submittedRecordMs);
            between(h.get(1), t.submittedRecordMs, t.launchRecordMs);
            if (launched != null) between(h.get(2), t.launchRecordMs, launched.toEpochMilli());
            if (launched != null) between(h.get(3), runningAt, t.clusterRunningMs);
            between(h.get(4), t.clusterRunningMs, t.statusRunningReceivedMs);
            if (launched != null) between(h.get(5), runningAt, t.statusRunningReceivedMs);
        });
        Map<String, Latencies.Summary> out = new LinkedHashMap<>();
        hops.forEach((k, v) -> out.put(k, v.summary()));
        return out;
    }

    private static void between(Latencies into, long fromMs, long toMs) {
        if (fromMs > 0 && toMs > 0) into.addMillis(Math.max(0, toMs - fromMs));
    }

    /** Submits long-running jobs until each level of live jobs is reached, then reads the controller's memory. */
    private static List<BenchReport.LiveLevel> climb(JobApi api, LineTracer tracer, long controllerPid,
                                                     BenchOptions o) throws Exception {
        List<BenchReport.LiveLevel> levels = new ArrayList<>();
        int submitted = 0;
        for (int level : o.liveLevels().stream().sorted(Comparator.naturalOrder()).toList()) {
            int missing = level - submitted;
            say("live jobs: climbing to %d", level);
            long t0 = System.nanoTime();
            int base = submitted;
            SubmissionLoad.Result r = SubmissionLoad.openLoop(api, o.rate(), Math.max(0, missing),
                    i -> JobApi.simulatedJob("live-" + (base + i), Duration.ofHours(2).toMillis()));
            submitted += r.accepted.size();
            long reached = awaitLive(tracer, submitted, Duration.ofSeconds(o.drainSeconds()));
            MemoryProbe.Memory memory = MemoryProbe.of(controllerPid);
            levels.add(new BenchReport.LiveLevel(level, tracer.liveJobs(), tracer.runningJobs(),
                    reached < 0 ? null : (System.nanoTime() - t0) / 1e9, memory.heapAfterGcMiB(), memory.rssMiB()));
            if (reached < 0) break;
        }
        return levels;
    }

    /**
     * Waits until the status stream showed every one of {@code jobs} finished and returns how long that took in ms,
     * or -1 on timeout. By id, not by the live count: a job the controller has not taken up yet is not live either.
     */
    private static long awaitFinished(LineTracer tracer, java.util.Set<String> jobs, Duration timeout,
                                      Runnable everyReport) throws InterruptedException {
        return await(timeout, () -> jobs.stream().allMatch(tracer::finished), everyReport, () -> String.format(
                "  %d of %d jobs not finished; live %d, running %d", jobs.stream().filter(id -> !tracer.finished(id))
                        .count(), jobs.size(), tracer.liveJobs(), tracer.runningJobs()));
    }

    /**
     * The same, reading mock-cloud's inventory before, every 10 s and after, so that {@code launches} has the VMs of
     * jobs that finished long before the end (mock-cloud forgets a terminated VM after a while).
     */
    private static long awaitFinished(LineTracer tracer, java.util.Set<String> jobs, Duration timeout,
                                      MockCloudLaunches launches) throws InterruptedException {
        launches.collect();
        long took = awaitFinished(tracer, jobs, timeout, launches::collect);
        launches.collect();
        return took;
    }

    /** Waits until the status stream shows at least {@code target} live jobs; ms it took, or -1 on timeout. */
    private static long awaitLive(LineTracer tracer, int target, Duration timeout) throws InterruptedException {
        return await(timeout, () -> tracer.liveJobs() >= target, () -> { },
                () -> String.format("  live %d, running %d", tracer.liveJobs(), tracer.runningJobs()));
    }

    /** {@code everyReport} runs with each progress line, every 10 s. */
    static long await(Duration timeout, java.util.function.BooleanSupplier done, Runnable everyReport,
                              java.util.function.Supplier<String> progress) throws InterruptedException {
        long start = System.currentTimeMillis();
        long lastReport = start;
        while (System.currentTimeMillis() - start < timeout.toMillis()) {
            if (done.getAsBoolean()) return System.currentTimeMillis() - start;
            if (System.currentTimeMillis() - lastReport > 10_000) {
                say("%s", progress.get());
                everyReport.run();
                lastReport = System.currentTimeMillis();
            }
            Thread.sleep(200);
        }
        return -1;
    }

    static void say(String format, Object... args) {
        System.out.printf("bench: " + format + "%n", args);
    }

    static void deleteRecursively(Path dir) throws java.io.IOException {
        if (!Files.exists(dir)) return;
        try (var paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}

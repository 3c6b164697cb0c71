package io.crossjobs.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** What one run measured: printed as a table, written as JSON (public fields, in print order). */
public final class BenchReport {
    public final String startedAt;
    public final BenchOptions options;
    public final int cpus;
    public Latencies.Summary rawKafkaHop;
    public Latencies.Summary rawPostgresCommit;
    public Submissions lightLoad;
    /** Per-hop latencies of the light load's jobs: the line's own, with no queue in front of any hop. */
    public Map<String, Latencies.Summary> lightHops;
    public Submissions fixedLoad;
    public Submissions targetLoad;
    public Submissions saturation;
    public Double drainSeconds;
    public int launchesInFlightMax;
    public Cpu cpu;
    public Map<String, Latencies.Summary> hops;
    public Map<String, Latencies.Summary> brokerHops;
    public List<LiveLevel> liveJobs;
    public BulkCancel bulkCancel;
    public Queue queue;

    BenchReport(Instant startedAt, BenchOptions options, int cpus) {
        this.startedAt = startedAt.toString();
        this.options = options;
        this.cpus = cpus;
    }

    /** One load phase: offered rate (null at saturation), accepted per second, accept latency, refusals. */
    public record Submissions(Integer offeredPerSecond, int accepted, double acceptedPerSecond,
                              Latencies.Summary acceptLatency, int refused, int errors) {
        static Submissions of(Integer offered, SubmissionLoad.Result r) {
            return new Submissions(offered, r.accepted.size(), r.acceptedPerSecond(), r.accept.summary(),
                    r.refused.get(), r.errors.get());
        }
    }

    /**
     * CPU seconds per process while the fixed load was offered, and from its start until the drain ended (fixed
     * load, target rate, saturation and drain), that last also per job of those phases, in ms.
     */
    public record Cpu(Map<String, Double> duringFixedLoadSeconds, Map<String, Double> throughDrainSeconds,
                      Map<String, Double> msPerJob) {
        /** CPU ms per job of what crossjobs itself runs: everything but the simulated cloud and the load generator. */
        public double lineMsPerJob() {
            return msPerJob.entrySet().stream()
                    .filter(e -> !e.getKey().equals("mock-cloud") && !e.getKey().equals(CpuProbe.BENCH))
                    .mapToDouble(Map.Entry::getValue).sum();
        }

        static Cpu of(Map<String, Double> load, Map<String, Double> total, int jobs) {
            Map<String, Double> perJob = new java.util.LinkedHashMap<>();
            total.forEach((name, s) -> perJob.put(name, jobs == 0 ? 0 : s * 1000 / jobs));
            return new Cpu(load, total, perJob);
        }
    }

    /** The controller at one level of live jobs; {@code secondsToReach} null when the level was not reached. */
    public record LiveLevel(int target, int live, int running, Double secondsToReach, double controllerHeapMiB,
                            double controllerRssMiB) { }

    /**
     * {@code cancel --all} over the live jobs of the climb's last level: {@code answerMs} until job-api answered,
     * {@code allEndedSeconds} until the subscriber saw every one of them end, {@code clustersGoneSeconds} until
     * mock-cloud held no live instance of a job; either null when it did not happen within the drain limit.
     */
    public record BulkCancel(int live, int requested, double answerMs, Double allEndedSeconds,
                             Double clustersGoneSeconds) { }

    /** {@code GET /jobs} answered with {@code jobs} jobs in the database, per query (QueueSpeed.QUERIES). */
    public record Queue(long jobs, Map<String, Latencies.Summary> byQuery) { }

    String table() {
        StringBuilder t = new StringBuilder();
        t.append(String.format(Locale.ROOT, "crossjobs benchmark, %s, %d CPUs%n%n", startedAt, cpus));
        t.append(String.format(Locale.ROOT, "%-58s %8s %9s %9s %9s%n", "hop / operation", "samples", "p50 ms",
                "p99 ms", "× raw p99"));
        double raw = rawKafkaHop == null ? 0 : rawKafkaHop.p99Ms();
        row(t, "raw Kafka produce → consume (baseline)", rawKafkaHop, raw);
        row(t, "raw PostgreSQL insert + commit (baseline)", rawPostgresCommit, raw);
        if (lightLoad != null) row(t, "accept: POST /jobs → 201 at " + lightLoad.offeredPerSecond() + "/s offered",
                lightLoad.acceptLatency(), raw);
        if (fixedLoad != null) row(t, "accept: POST /jobs → 201 at " + fixedLoad.offeredPerSecond() + "/s offered",
                fixedLoad.acceptLatency(), raw);
        if (targetLoad != null) row(t, "accept: POST /jobs → 201 at " + targetLoad.offeredPerSecond() + "/s offered",
                targetLoad.acceptLatency(), raw);
        if (saturation != null) row(t, "accept: POST /jobs → 201 at saturation", saturation.acceptLatency(), raw);
        if (lightHops != null) {
            t.append(String.format(Locale.ROOT, "per hop, light load (%d/s, the line keeps up):%n",
                    lightLoad.offeredPerSecond()));
            lightHops.forEach((name, s) -> row(t, "  " + name, s, raw));
        }
        if (hops != null) {
            t.append(String.format(Locale.ROOT, "per hop, fixed load (%d/s):%n", fixedLoad.offeredPerSecond()));
            hops.forEach((name, s) -> row(t, "  " + name, s, raw));
        }
        if (brokerHops != null) brokerHops.forEach((topic, s) -> row(t, "broker hop on " + topic, s, raw));
        t.append('\n');
        offered(t, "light load", lightLoad);
        offered(t, "fixed load", fixedLoad);
        offered(t, "target rate", targetLoad);
        if (saturation != null) t.append(String.format(Locale.ROOT,
                "saturation: %.1f/s accepted (%d accepted, %d refused, %d errors)%n", saturation.acceptedPerSecond(),
                saturation.accepted(), saturation.refused(), saturation.errors()));
        t.append(String.format(Locale.ROOT, "launches in flight at once (max): %d; load drained in %s%n",
                launchesInFlightMax, drainSeconds == null ? "(not within the limit)" : drainSeconds + " s"));
        if (cpu != null) {
            t.append(String.format(Locale.ROOT, "%n%-34s %14s %14s %12s%n", "CPU by process", "fixed load s",
                    "through drain s", "ms per job"));
            cpu.throughDrainSeconds().forEach((name, s) -> t.append(String.format(Locale.ROOT,
                    "%-34s %14.1f %14.1f %12.2f%n", name, cpu.duringFixedLoadSeconds().getOrDefault(name, 0d), s,
                    cpu.msPerJob().get(name))));
            double line = cpu.lineMsPerJob();
            t.append(String.format(Locale.ROOT, "the line (services, Kafka, PostgreSQL; not mock-cloud or the bench): "
                    + "%.1f ms CPU per job, so %d CPUs carry at most about %.0f jobs/s from submit to exit%n", line, cpus,
                    line <= 0 ? 0 : cpus * 1000 / line));
        }
        if (liveJobs != null && !liveJobs.isEmpty()) {
            t.append(String.format(Locale.ROOT, "%n%-10s %8s %8s %10s %12s %12s%n", "live jobs", "live", "running",
                    "reached s", "heap MiB", "RSS MiB"));
            for (LiveLevel l : liveJobs) {
                t.append(String.format(Locale.ROOT, "%-10d %8d %8d %10s %12.1f %12.1f%n", l.target(), l.live(),
                        l.running(), l.secondsToReach() == null ? "no" : String.format(Locale.ROOT, "%.1f",
                                l.secondsToReach()), l.controllerHeapMiB(), l.controllerRssMiB()));
            }
        }
        if (bulkCancel != null) {
            t.append(String.format(Locale.ROOT, "%ncancel --all of %d live jobs: answered in %.0f ms (%d asked); "
                            + "every job ended at the subscriber after %s, every cluster gone after %s%n",
                    bulkCancel.live(), bulkCancel.answerMs(), bulkCancel.requested(),
                    orNot(bulkCancel.allEndedSeconds()), orNot(bulkCancel.clustersGoneSeconds())));
        }
        if (queue != null) {
            t.append(String.format(Locale.ROOT, "%nGET /jobs with %,d jobs in the database:%n", queue.jobs()));
            queue.byQuery().forEach((name, s) -> row(t, "  " + name, s, raw));
        }
        return t.toString();
    }

    private static String orNot(Double seconds) {
        return seconds == null ? "(not within the limit)" : String.format(Locale.ROOT, "%.1f s", seconds);
    }

    private static void offered(StringBuilder t, String phase, Submissions s) {
        if (s == null) return;
        t.append(String.format(Locale.ROOT, "%s: %d/s offered → %.1f/s accepted (%d accepted, %d refused, %d errors)%n",
                phase, s.offeredPerSecond(), s.acceptedPerSecond(), s.accepted(), s.refused(), s.errors()));
    }

    private static void row(StringBuilder t, String name, Latencies.Summary s, double rawP99) {
        if (s == null) return;
        String ratio = rawP99 <= 0 ? "-" : String.format(Locale.ROOT, "%.1f", s.p99Ms() / rawP99);
        t.append(String.format(Locale.ROOT, "%-58s %8d %9.2f %9.2f %9s%n", name, s.count(), s.p50Ms(), s.p99Ms(),
                ratio));
    }

    void writeJson(Path file) throws IOException {
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(file.toFile(), this);
    }
}

package io.crossjobs.bench;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What one run does, from {@code --name=value} arguments. The defaults are the targets: a fixed offered
 * load of 500 submissions/s, saturation, and 1k / 5k / 10k live jobs.
 *
 * @param warmup            submissions before anything is measured (jobs no cloud can run, refused by the
 *                          controller's prechecks), so the services' JIT has compiled the path
 * @param lightRate         offered submissions per second in the light-load phase (after the drain, so on a warm and
 *                          idle line), a rate the line keeps up with: its per-hop latencies are the line's own, not
 *                          a queue's; 0 skips it
 * @param rate              offered submissions per second in the fixed-load phase
 * @param loadSeconds       length of the fixed-load phase, and of the target-rate phase
 * @param targetRate        offered submissions per second in the target-rate phase, right after the fixed load (the
 *                          issue's target: 1,000/s sustained with p99 under 50 ms); 0 skips it
 * @param concurrency       requests in flight in the saturation phase (closed loop)
 * @param saturationSeconds length of the saturation phase
 * @param jobSeconds        simulated run time of the load phases' jobs
 * @param liveLevels        live-job counts at which the controller's memory is read (empty: skip)
 * @param rawSamples        samples of each raw baseline
 * @param launchSlots       the controller's bound on launches in flight
 * @param drainSeconds      longest wait for the load phases' jobs to finish
 * @param queueJobs         jobs in the database when {@code GET /jobs} is timed (filled up to it); 0 skips it
 * @param queueRequests     requests of each query when it is timed
 * @param report            where the JSON report goes
 */
record BenchOptions(int warmup, int lightRate, int rate, int loadSeconds, int targetRate, int concurrency, int saturationSeconds, int jobSeconds,
                    List<Integer> liveLevels, int rawSamples, int launchSlots, int drainSeconds, int queueJobs,
                    int queueRequests, Path report) {

    static BenchOptions parse(String... args) {
        Map<String, String> given = new LinkedHashMap<>();
        for (String arg : args) {
            if (!arg.startsWith("--") || !arg.contains("=")) {
                throw new IllegalArgumentException("arguments are --name=value, got '" + arg + "'");
            }
            given.put(arg.substring(2, arg.indexOf('=')), arg.substring(arg.indexOf('=') + 1));
        }
        BenchOptions o = new BenchOptions(number(given, "warmup", 3000), number(given, "light-rate", 20),
                number(given, "rate", 500), number(given, "load-seconds", 10),
                number(given, "target-rate", 1000),
                number(given, "concurrency", 64), number(given, "saturation-seconds", 5),
                number(given, "job-seconds", 5), levels(given.remove("live-levels")), number(given, "raw-samples", 2000),
                number(given, "launch-slots", 1000), number(given, "drain-seconds", 900),
                number(given, "queue-jobs", 100_000), number(given, "queue-requests", 500),
                Path.of(given.getOrDefault("report", "bench/target/bench-report.json")));
        given.remove("report");
        if (!given.isEmpty()) throw new IllegalArgumentException("unknown arguments: " + given.keySet());
        return o;
    }

    private static int number(Map<String, String> given, String name, int fallback) {
        String v = given.remove(name);
        if (v == null) return fallback;
        try {
            int n = Integer.parseInt(v);
            if (n < 0) throw new NumberFormatException();
            return n;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--" + name + " must be a whole number >= 0, got '" + v + "'");
        }
    }

    private static List<Integer> levels(String v) {
        if (v == null) return List.of(1000, 5000, 10000);
        if (v.isBlank() || v.equals("none")) return List.of();
        return Arrays.stream(v.split(",")).map(String::trim).map(Integer::parseInt).sorted().toList();
    }
}

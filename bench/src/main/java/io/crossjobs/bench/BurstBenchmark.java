package io.crossjobs.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.crossjobs.stack.Stack;
import io.crossjobs.stack.StackConfig;
import io.crossjobs.testsupport.ProjectRoot;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * {@code ./crossjobs bench-burst}: a burst of jobs submitted at once against clouds that enforce their documented
 * request limits (mock-cloud's default), first all on AWS, then the same burst with {@code any_of} over the three
 * clouds. For each: how long until every job ran and until every job ended, the final statuses, where the jobs ran,
 * and each cloud's API calls per job (mock-cloud's counts, admitted and refused). Prints a table, writes JSON.
 */
public final class BurstBenchmark {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration BOOT_DELAY = Duration.ofSeconds(2);

    record Options(int jobs, int jobSeconds, int launchSlots, int timeoutSeconds, String report) {
        static Options parse(String[] args) {
            Map<String, String> o = new LinkedHashMap<>(Map.of("jobs", "1000", "job-seconds", "5",
                    "launch-slots", "1000", "timeout-seconds", "1800", "report", "bench/target/burst-report.json"));
            for (String a : args) {
                if (!a.startsWith("--") || !a.contains("=")) throw new IllegalArgumentException("not --name=value: " + a);
                String name = a.substring(2, a.indexOf('='));
                if (!o.containsKey(name)) throw new IllegalArgumentException("unknown option --" + name);
                o.put(name, a.substring(a.indexOf('=') + 1));
            }
            return new Options(Integer.parseInt(o.get("jobs")), Integer.parseInt(o.get("job-seconds")),
                    Integer.parseInt(o.get("launch-slots")), Integer.parseInt(o.get("timeout-seconds")), o.get("report"));
        }
    }

    /** One burst's outcome. */
    record Burst(String name, int jobs, double submitSeconds, Double allRanSeconds, Double allEndedSeconds,
                 Map<String, Integer> statuses, Map<String, Integer> ranOn, int relaunched,
                 Map<String, CloudCalls> apiCalls) { }

    /** A cloud's API calls during one burst: admitted, refused for its limits, and admitted per job. */
    record CloudCalls(long admitted, long throttled, double perJob, Map<String, Long> byAction) { }

    private BurstBenchmark() { }

    public static void main(String[] args) throws Exception {
        System.setProperty("org.slf4j.simpleLogger.log.org.apache.kafka", "warn");
        Options options;
        try {
            options = Options.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("crossjobs bench-burst: " + e.getMessage());
            System.exit(2);
            return;
        }
        Path root = ProjectRoot.find();
        List<Burst> bursts = run(root, options);
        System.out.println();
        System.out.print(table(bursts));
        Path out = root.resolve(options.report());
        Files.createDirectories(out.toAbsolutePath().getParent());
        Map<String, Object> report = new LinkedHashMap<>();
        report.put("at", Instant.now().toString());
        report.put("options", options);
        report.put("bursts", bursts);
        JSON.writerWithDefaultPrettyPrinter().writeValue(out.toFile(), report);
        System.out.println("report: " + out);
    }

    static List<Burst> run(Path root, Options o) throws Exception {
        Path state = root.resolve("bench/target/burst-stack");
        Benchmark.deleteRecursively(state);
        StackConfig config = StackConfig.onFreePorts(state, Optional.empty(), Optional.empty()).withSimulatedWorkloads(true);
        // the clouds' request limits stay on (mock-cloud's default): they are what this measures
        Map<String, Map<String, String>> overrides = Map.of(
                "mock-cloud", Map.of("mock-cloud.boot-delay", BOOT_DELAY.toMillis() + "ms",
                        "mock-cloud.tick-interval", "20ms", "mock-cloud.shutdown-delay", "500ms",
                        "mock-cloud.terminated-retention", "60s"),
                "controller-service", Map.of("crossjobs.controller.max-concurrent-launches",
                        String.valueOf(o.launchSlots())));
        List<Burst> bursts = new ArrayList<>();
        try (Stack stack = new Stack(config, root, System.out, overrides).start()) {
            Runtime.getRuntime().addShutdownHook(new Thread(stack::close));
            Client client = new Client(config.jobApiPort(), config.mockCloudPort(), stack.adminToken());
            bursts.add(burst(client, o, "burst-aws", JSON.createObjectNode().put("cloud", "aws")));
            ObjectNode anyOf = JSON.createObjectNode();
            anyOf.putArray("any_of").add(JSON.createObjectNode().put("cloud", "aws"))
                    .add(JSON.createObjectNode().put("cloud", "gcp")).add(JSON.createObjectNode().put("cloud", "azure"));
            bursts.add(burst(client, o, "burst-any-of", anyOf));
        }
        return bursts;
    }

    private static Burst burst(Client client, Options o, String name, ObjectNode resources) throws Exception {
        say("%s: %d jobs of %d s, resources %s", name, o.jobs(), o.jobSeconds(), resources);
        client.send("DELETE", client.mock("/mock/api-calls"), null);
        ObjectNode job = JSON.createObjectNode().put("name", name).put("run", "echo burst");
        job.set("resources", resources);
        job.putObject("envs").put("CROSSJOBS_SIM_DURATION_MS", String.valueOf(o.jobSeconds() * 1000L));
        String body = JSON.writeValueAsString(job);

        long start = System.nanoTime();
        ExecutorService pool = Executors.newFixedThreadPool(32);
        List<Future<Integer>> answers = new ArrayList<>();
        for (int i = 0; i < o.jobs(); i++) {
            answers.add(pool.submit(() -> client.send("POST", client.api("/jobs"), body).statusCode()));
        }
        int accepted = 0;
        for (Future<Integer> a : answers) if (a.get() == 201) accepted++;
        pool.shutdown();
        double submitted = seconds(start);
        say("%s: %d of %d accepted in %.1f s", name, accepted, o.jobs(), submitted);

        Double allRan = null;
        Double allEnded = null;
        List<JsonNode> jobs = List.of();
        long deadline = start + Duration.ofSeconds(o.timeoutSeconds()).toNanos();
        long lastSay = 0;
        while (System.nanoTime() < deadline) {
            jobs = client.jobsNamed(name);
            long ran = jobs.stream().filter(j -> !j.path("startedAt").isNull() && j.has("startedAt")).count();
            long ended = jobs.stream().filter(j -> terminal(j.path("status").asText())).count();
            if (allRan == null && jobs.size() == accepted && ran == accepted) allRan = seconds(start);
            if (jobs.size() == accepted && ended == accepted) {
                allEnded = seconds(start);
                if (allRan == null) allRan = allEnded;
                break;
            }
            if (System.nanoTime() - lastSay > Duration.ofSeconds(15).toNanos()) {
                say("%s: %.0f s: %d ran, %d ended of %d", name, seconds(start), ran, ended, accepted);
                lastSay = System.nanoTime();
            }
            Thread.sleep(1000);
        }
        Map<String, Integer> statuses = new TreeMap<>();
        Map<String, Integer> ranOn = new TreeMap<>();
        int relaunched = 0;
        for (JsonNode j : jobs) {
            statuses.merge(j.path("status").asText(), 1, Integer::sum);
            if (!j.path("cloud").isNull() && j.has("cloud")) ranOn.merge(j.path("cloud").asText(), 1, Integer::sum);
            if (j.path("attempt").asInt() > 1) relaunched++;
        }
        Map<String, CloudCalls> calls = new TreeMap<>();
        Map<String, Map<String, Long>> byAction = new TreeMap<>();
        Map<String, long[]> totals = new TreeMap<>();
        for (JsonNode c : JSON.readTree(client.send("GET", client.mock("/mock/api-calls"), null).body())) {
            String cloud = c.path("cloud").asText();
            long admitted = c.path("admitted").asLong();
            long throttled = c.path("throttled").asLong();
            byAction.computeIfAbsent(cloud, k -> new TreeMap<>()).put(c.path("action").asText(), admitted + throttled);
            long[] t = totals.computeIfAbsent(cloud, k -> new long[2]);
            t[0] += admitted;
            t[1] += throttled;
        }
        for (Map.Entry<String, long[]> t : totals.entrySet()) {
            calls.put(t.getKey(), new CloudCalls(t.getValue()[0], t.getValue()[1],
                    accepted == 0 ? 0 : (double) t.getValue()[0] / accepted, byAction.get(t.getKey())));
        }
        Burst b = new Burst(name, accepted, submitted, allRan, allEnded, statuses, ranOn, relaunched, calls);
        say("%s: %s", name, b);
        return b;
    }

    private static boolean terminal(String status) {
        return io.crossjobs.events.JobStatus.valueOf(status).isTerminal();
    }

    static String table(List<Burst> bursts) {
        StringBuilder t = new StringBuilder();
        t.append(String.format("%-14s %6s %9s %9s %9s  %-28s %-32s %s%n", "burst", "jobs", "submit s", "all ran s",
                "all end s", "statuses", "ran on", "API calls per job (refused) by cloud"));
        for (Burst b : bursts) {
            StringBuilder calls = new StringBuilder();
            b.apiCalls().forEach((cloud, c) -> calls.append(String.format("%s %.1f (%d)  ", cloud, c.perJob(),
                    c.throttled())));
            t.append(String.format("%-14s %6d %9.1f %9s %9s  %-28s %-32s %s%n", b.name(), b.jobs(), b.submitSeconds(),
                    b.allRanSeconds() == null ? "-" : String.format("%.1f", b.allRanSeconds()),
                    b.allEndedSeconds() == null ? "-" : String.format("%.1f", b.allEndedSeconds()),
                    b.statuses(), b.ranOn(), calls.toString().trim()));
        }
        return t.toString();
    }

    private static double seconds(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e9;
    }

    private static void say(String format, Object... args) {
        System.out.printf("bench-burst: " + format + "%n", args);
    }

    /** job-api and mock-cloud's admin API over plain HTTP. */
    private static final class Client {
        private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
        private final int apiPort;
        private final int mockPort;
        private final String token;

        Client(int apiPort, int mockPort, String token) {
            this.apiPort = apiPort;
            this.mockPort = mockPort;
            this.token = token;
        }

        URI api(String path) { return URI.create("http://127.0.0.1:" + apiPort + path); }

        URI mock(String path) { return URI.create("http://127.0.0.1:" + mockPort + path); }

        HttpResponse<String> send(String method, URI uri, String body) throws Exception {
            HttpRequest.Builder r = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(60))
                    .header("Authorization", "Bearer " + token);
            if (body == null) {
                r.method(method, HttpRequest.BodyPublishers.noBody());
            } else {
                r.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(body));
            }
            return http.send(r.build(), HttpResponse.BodyHandlers.ofString());
        }

        /** Every job called {@code name}, following the list's cursor. */
        List<JsonNode> jobsNamed(String name) throws Exception {
            List<JsonNode> all = new ArrayList<>();
            String cursor = null;
            do {
                String q = "/jobs?limit=500&name=" + URLEncoder.encode(name, StandardCharsets.UTF_8)
                        + (cursor == null ? "" : "&cursor=" + URLEncoder.encode(cursor, StandardCharsets.UTF_8));
                JsonNode page = JSON.readTree(send("GET", api(q), null).body());
                page.path("items").forEach(all::add);
                cursor = page.path("nextCursor").isNull() ? null : page.path("nextCursor").asText(null);
            } while (cursor != null);
            return all;
        }
    }
}

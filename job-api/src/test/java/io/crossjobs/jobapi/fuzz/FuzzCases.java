package io.crossjobs.jobapi.fuzz;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.RandomGenerator;

import java.math.BigInteger;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Generated requests against job-api, drawn from jqwik's generators with one seeded {@link Random}: the same
 * seed gives the same cases. Bodies are mutated SkyPilot tasks (JSON and YAML, pipelines), unicode garbage,
 * truncated documents, deep nesting, YAML aliases/tags/merge keys/many documents, absurd numbers and huge
 * bodies; query parameters, path segments and headers (tokens, Idempotency-Key, content types) are drawn the
 * same way. Requests that could stream forever (the live stream, following a live job's log) are only made
 * with bad credentials or for jobs that do not exist.
 */
final class FuzzCases {

    record Case(String endpoint, String method, String pathAndQuery, Map<String, String> headers, byte[] body,
                boolean mutating) {

        HttpRequest toRequest(URI base) {
            HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base.toString().replaceAll("/$", "") + pathAndQuery))
                    .timeout(Duration.ofSeconds(60));
            headers.forEach(b::header);
            return b.method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofByteArray(body)).build();
        }

        String describe() {
            String text = body == null ? "" : new String(body, 0, Math.min(body.length, 300), StandardCharsets.UTF_8);
            return method + " " + pathAndQuery + " headers=" + headers.keySet() + " body(" + (body == null ? 0 : body.length)
                    + " bytes)=" + text.replace("\n", "\\n");
        }
    }

    private static final List<String> SPECIAL = List.of("", " ", "null", "~", "NaN", "-Infinity", ".inf", "1e309",
            "-0", "0x1F", "1_000", "9".repeat(400), "A100:8", "A100:-1", "aws/us-east-1/*", "*", "k8s/ctx",
            "kubernetes", "2+", "+", "-1+", "${HOME}", "$(reboot)", "'\"", "\\u0000", "\u0000", "\uFEFF", "\u202Ename",
            "👩‍🚀", "ｆｕｌｌｗｉｄｔｈ", "../../etc/passwd", "%00", "<script>alert(1)</script>", "yes", "no", "on",
            "2001-01-01", "!!binary aGk=", "*alias", "&anchor", "EAGER_NEXT_REGION", "FAILOVER", "m6i.large");
    private static final List<String> CONTENT_TYPES = List.of("application/json", "application/yaml", "text/yaml",
            "application/x-yaml", "application/json; charset=utf-16", "application/yaml; charset=iso-8859-1",
            "text/plain", "application/xml", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x",
            "application/cloudevents+json", "*/*", "application/json;;;", "yaml");
    private static final List<String> STATUSES = List.of("PENDING", "RUNNING", "SUCCEEDED", "FAILED", "CANCELLED",
            "pending", "FAILED_SETUP", "NOPE");

    private final Random random;
    private final String adminToken;
    private final String userToken;
    private final String existingJob;
    private final ObjectMapper json = new ObjectMapper();
    private final YAMLMapper yaml = new YAMLMapper();

    private final RandomGenerator<String> anyText = gen(Arbitraries.strings().all().ofMaxLength(40));
    private final RandomGenerator<String> longText = gen(Arbitraries.strings().all().ofMinLength(100).ofMaxLength(5000));
    private final RandomGenerator<String> printable = gen(Arbitraries.strings().withCharRange(' ', '~').ofMaxLength(30));
    private final RandomGenerator<String> special = gen(Arbitraries.of(SPECIAL));
    private final RandomGenerator<Integer> ints = gen(Arbitraries.integers());
    private final RandomGenerator<Long> longs = gen(Arbitraries.longs());
    private final RandomGenerator<BigInteger> huge = gen(Arbitraries.bigIntegers()
            .between(BigInteger.TEN.pow(30).negate(), BigInteger.TEN.pow(400)));
    private final RandomGenerator<Double> doubles = gen(Arbitraries.doubles());

    FuzzCases(Random random, String adminToken, String userToken, String existingJob) {
        this.random = random;
        this.adminToken = adminToken;
        this.userToken = userToken;
        this.existingJob = existingJob;
    }

    Case next() {
        int kind = random.nextInt(100);
        if (kind < 40) return submit();
        if (kind < 48) return listJobs();
        if (kind < 60) return readJob();
        if (kind < 67) return cancel();
        if (kind < 74) return tokens();
        if (kind < 84) return webhooks();
        if (kind < 87) return controller();
        if (kind < 91) return quotas();
        return badCredentials();
    }

    // --- POST /jobs

    private Case submit() {
        boolean asYaml = random.nextBoolean();
        byte[] body = switch (random.nextInt(12)) {
            case 0 -> utf8(anyText.next(random).value());
            case 1 -> utf8(longText.next(random).value());
            case 2 -> truncated(asYaml ? yamlDoc(task()) : jsonDoc(task()));
            case 3 -> utf8(deepNesting(asYaml));
            case 4 -> utf8(yamlSpecial());
            case 5 -> random.nextInt(10) == 0 ? hugeBody() : utf8(jsonDoc(pipeline()));
            case 6 -> utf8(yamlPipeline());
            default -> utf8(asYaml ? yamlDoc(task()) : jsonDoc(task()));
        };
        Map<String, String> headers = auth(random.nextInt(5) == 0 ? userToken : adminToken);
        String type = random.nextInt(4) == 0 ? pick(CONTENT_TYPES) : asYaml ? pick(CONTENT_TYPES.subList(1, 4)) : "application/json";
        headers.put("Content-Type", type);
        if (random.nextInt(5) == 0) headers.put("Idempotency-Key", random.nextBoolean() ? printable.next(random).value()
                : anyText.next(random).value());
        return new Case("POST /jobs", "POST", "/jobs", headers, body, true);
    }

    private Map<String, Object> task() {
        Map<String, Object> resources = new LinkedHashMap<>();
        resources.put("cloud", pick(List.of("aws", "gcp", "azure", "AWS")));
        resources.put("cpus", pick(List.of("2+", "4", "0.5")));
        resources.put("memory", pick(List.of("8+", "16")));
        resources.put("accelerators", pick(List.of("A100:1", "V100:8", "T4")));
        resources.put("use_spot", random.nextBoolean());
        resources.put("disk_size", 100);
        if (random.nextInt(4) == 0) resources.put("any_of", List.of(ordered("region", "us-east-1"), ordered("cloud", "gcp")));
        if (random.nextInt(4) == 0) resources.put("job_recovery", ordered("strategy", "FAILOVER",
                "max_restarts_on_errors", 2, "recover_on_exit_codes", List.of(1, 2)));
        Map<String, Object> task = new LinkedHashMap<>();
        task.put("name", "fz-" + random.nextInt(1000));
        task.put("num_nodes", 1);
        task.put("resources", resources);
        task.put("envs", ordered("A", "b"));
        if (random.nextInt(3) == 0) task.put("secrets", ordered("TOKEN", "fuzz-secret"));
        task.put("setup", "echo setup");
        task.put("run", "echo run");
        mutate(resources);
        mutate(task);
        return task;
    }

    private void mutate(Map<String, Object> map) {
        for (String key : new ArrayList<>(map.keySet())) {
            int r = random.nextInt(100);
            if (r < 12) map.put(key, value(3));
            else if (r < 18) map.remove(key);
        }
        if (random.nextInt(8) == 0) map.put(random.nextBoolean() ? anyText.next(random).value() : pick(List.of(
                "workdir", "file_mounts", "image_id", "ports", "labels", "disk_tier", "infra", "zone", "ordered",
                "instance_type", "region")), value(2));
    }

    private Object value(int depth) {
        int r = random.nextInt(100);
        if (depth > 0 && r < 10) {
            List<Object> list = new ArrayList<>();
            for (int i = random.nextInt(4); i > 0; i--) list.add(value(depth - 1));
            return list;
        }
        if (depth > 0 && r < 18) {
            Map<String, Object> map = new LinkedHashMap<>();
            for (int i = random.nextInt(4); i > 0; i--) map.put(random.nextBoolean() ? printable.next(random).value()
                    : special.next(random).value(), value(depth - 1));
            return map;
        }
        if (r < 33) return anyText.next(random).value();
        if (r < 50) return special.next(random).value();
        if (r < 62) return ints.next(random).value();
        if (r < 70) return longs.next(random).value();
        if (r < 80) return huge.next(random).value();
        if (r < 88) return doubles.next(random).value();
        if (r < 95) return random.nextBoolean();
        return null;
    }

    private List<Object> pipeline() {
        List<Object> tasks = new ArrayList<>();
        for (int i = random.nextInt(4); i >= 0; i--) tasks.add(random.nextInt(6) == 0 ? value(2) : task());
        return tasks;
    }

    private String yamlPipeline() {
        StringBuilder s = new StringBuilder();
        int docs = random.nextInt(10) == 0 ? 200 + random.nextInt(2000) : 1 + random.nextInt(4);
        for (int i = 0; i < docs; i++) s.append(i == 0 ? "" : "---\n").append(i % 50 == 0 ? yamlDoc(task()) : "run: echo " + i + "\n");
        return s.toString();
    }

    private String deepNesting(boolean asYaml) {
        int depth = 1 + random.nextInt(random.nextInt(5) == 0 ? 50_000 : 300);
        if (!asYaml) {
            String open = random.nextBoolean() ? "[" : "{\"run\":";
            return "{\"run\":\"x\",\"envs\":" + open.repeat(depth) + "1" + (open.equals("[") ? "]" : "}").repeat(depth) + "}";
        }
        return switch (random.nextInt(3)) {
            case 0 -> "run: x\nenvs: " + "[".repeat(depth) + "]".repeat(depth) + "\n";
            case 1 -> "run: x\nresources:\n" + buildIndented(Math.min(depth, 2000));
            default -> "run: x\nenvs:\n" + "  - ".repeat(Math.min(depth, 5000)) + "a\n";
        };
    }

    private static String buildIndented(int depth) {
        StringBuilder s = new StringBuilder();
        for (int i = 1; i <= depth; i++) s.append(" ".repeat(i)).append("k").append(i).append(":\n");
        return s.append(" ".repeat(depth + 1)).append("v\n").toString();
    }

    private String yamlSpecial() {
        return switch (random.nextInt(8)) {
            case 0 -> billionLaughs();
            case 1 -> "run: !!java.lang.Runtime x\n";
            case 2 -> "base: &b {cpus: 2}\nresources:\n  <<: *b\nrun: echo\n";
            case 3 -> "run: echo\nrun: again\n";
            case 4 -> "run: *undefined\n";
            case 5 -> "%YAML 9.9\n---\nrun: x\n";
            case 6 -> "run: !!binary aGVsbG8=\nnum_nodes: !!float 1.5\n";
            default -> "run: |\n" + ("  " + printable.next(random).value() + "\n").repeat(1 + random.nextInt(2000));
        };
    }

    private static String billionLaughs() {
        StringBuilder s = new StringBuilder("a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n");
        char prev = 'a';
        for (char c = 'b'; c <= 'j'; c++) {
            s.append(c).append(": &").append(c).append(" [");
            for (int i = 0; i < 9; i++) s.append(i == 0 ? "" : ",").append('*').append(prev);
            s.append("]\n");
            prev = c;
        }
        return s.append("run: echo\nenvs: *j\n").toString();
    }

    private byte[] hugeBody() {
        int size = (1 << 20) + random.nextInt(3 << 20);
        byte[] b = new byte[size];
        java.util.Arrays.fill(b, (byte) 'a');
        byte[] head = "run: ".getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(head, 0, b, 0, head.length);
        return b;
    }

    private byte[] truncated(String doc) {
        return utf8(doc.substring(0, random.nextInt(doc.length() + 1)));
    }

    // --- the other endpoints

    private Case listJobs() {
        StringBuilder q = new StringBuilder("/jobs?");
        for (int i = random.nextInt(5); i >= 0; i--) {
            String name = pick(List.of("status", "name", "cloud", "owner", "limit", "cursor", "limit", "status", "x"));
            String v = switch (name) {
                case "status" -> random.nextBoolean() ? pick(STATUSES) + "," + pick(STATUSES) : scalarText();
                case "limit" -> random.nextBoolean() ? String.valueOf(ints.next(random).value()) : scalarText();
                case "cursor" -> random.nextBoolean() ? String.valueOf(longs.next(random).value()) : scalarText();
                default -> scalarText();
            };
            q.append(enc(name)).append('=').append(enc(v)).append('&');
        }
        return new Case("GET /jobs", "GET", q.toString(), auth(random.nextBoolean() ? adminToken : userToken), null, false);
    }

    private Case readJob() {
        String id = randomId();
        Map<String, String> auth = auth(random.nextBoolean() ? adminToken : userToken);
        return switch (random.nextInt(4)) {
            case 0 -> new Case("GET /jobs/{id}", "GET", "/jobs/" + id, auth, null, false);
            case 1 -> new Case("GET /jobs/{id}/events", "GET", "/jobs/" + id + "/events", auth, null, false);
            case 2 -> new Case("GET /jobs/{id}/tasks", "GET", "/jobs/" + id + "/tasks", auth, null, false);
            default -> {
                StringBuilder q = new StringBuilder("?");
                if (random.nextBoolean()) q.append("tail=").append(enc(random.nextBoolean()
                        ? String.valueOf(ints.next(random).value()) : scalarText())).append('&');
                if (random.nextBoolean()) q.append("task=").append(enc(random.nextBoolean()
                        ? String.valueOf(ints.next(random).value()) : scalarText())).append('&');
                // following a live job never ends, so "true" only for ids that cannot exist
                String follow = random.nextBoolean() ? scalarText() : "false";
                if (follow.equalsIgnoreCase("true")) follow = "nope";
                if (random.nextInt(4) == 0) {
                    id = "9" + Math.abs(longs.next(random).value() % 1_000_000_000L) + "000000";
                    follow = "true";
                }
                q.append("follow=").append(enc(follow));
                yield new Case("GET /jobs/{id}/logs", "GET", "/jobs/" + id + "/logs" + q, auth, null, false);
            }
        };
    }

    private Case cancel() {
        Map<String, String> auth = auth(random.nextBoolean() ? adminToken : userToken);
        if (random.nextBoolean()) return new Case("POST /jobs/{id}/cancel", "POST", "/jobs/" + randomId() + "/cancel",
                auth, null, true);
        // cancelling by name or all is only made with bad parameters, so it refuses and must change nothing
        String q = switch (random.nextInt(4)) {
            case 0 -> "?all=" + enc(random.nextBoolean() ? "false" : scalarText().replace("true", "x"));
            case 1 -> "?name=" + enc(scalarText()) + "&all=true";
            case 2 -> "";
            default -> "?name=&all=" + enc(printable.next(random).value().replace("true", "x"));
        };
        return new Case("POST /jobs/cancel", "POST", "/jobs/cancel" + q, auth, null, true);
    }

    private Case tokens() {
        Map<String, String> auth = auth(random.nextInt(3) == 0 ? userToken : adminToken);
        return switch (random.nextInt(3)) {
            case 0 -> {
                auth.put("Content-Type", random.nextInt(5) == 0 ? pick(CONTENT_TYPES) : "application/json");
                yield new Case("POST /tokens", "POST", "/tokens", auth, utf8(tokenBody()), true);
            }
            case 1 -> new Case("GET /tokens", "GET", "/tokens", auth, null, false);
            default -> new Case("DELETE /tokens/{id}", "DELETE", "/tokens/" + randomId(), auth, null, true);
        };
    }

    private String tokenBody() {
        if (random.nextInt(4) == 0) return anyText.next(random).value();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("user", random.nextBoolean() ? "fz" + random.nextInt(100) : value(1));
        if (random.nextBoolean()) body.put("admin", random.nextInt(4) == 0 ? value(1) : Boolean.FALSE);
        if (random.nextInt(6) == 0) body.put(printable.next(random).value(), value(1));
        return jsonDoc(body);
    }

    private Case webhooks() {
        Map<String, String> auth = auth(random.nextBoolean() ? userToken : adminToken);
        return switch (random.nextInt(4)) {
            case 0 -> {
                auth.put("Content-Type", random.nextInt(5) == 0 ? pick(CONTENT_TYPES) : "application/json");
                yield new Case("POST /webhooks", "POST", "/webhooks", auth, utf8(webhookBody()), true);
            }
            case 1 -> new Case("GET /webhooks", "GET", "/webhooks", auth, null, false);
            case 2 -> new Case("DELETE /webhooks/{id}", "DELETE", "/webhooks/" + randomId(), auth, null, true);
            default -> new Case("GET /webhooks/{id}/deliveries", "GET", "/webhooks/" + randomId() + "/deliveries", auth,
                    null, false);
        };
    }

    private String webhookBody() {
        if (random.nextInt(4) == 0) return anyText.next(random).value();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("url", switch (random.nextInt(6)) {
            case 0 -> "https://example.com/" + enc(printable.next(random).value());
            case 1 -> "ftp://example.com/x";
            case 2 -> "http://user:pw@example.com/";
            case 3 -> "https://" + anyText.next(random).value();
            case 4 -> value(1);
            default -> scalarText();
        });
        if (random.nextBoolean()) body.put("statuses", random.nextBoolean() ? List.of(pick(STATUSES)) : value(2));
        if (random.nextInt(8) == 0) body.put("secret", "mine");
        return jsonDoc(body);
    }

    private Case controller() {
        Map<String, String> auth = auth(random.nextBoolean() ? userToken : adminToken);
        String q = random.nextBoolean() ? "" : "?" + enc(printable.next(random).value()) + "=" + enc(scalarText());
        return switch (random.nextInt(3)) {
            case 0 -> new Case("GET /controller", "GET", "/controller" + q, auth, null, false);
            case 1 -> new Case("GET /cost", "GET", "/cost" + q, auth, null, false);
            default -> new Case("POST /controller/migrate", "POST", "/controller/migrate" + q, auth, null, true);
        };
    }

    private Case quotas() {
        Map<String, String> auth = auth(random.nextInt(3) == 0 ? userToken : adminToken);
        String owner = random.nextBoolean() ? "fz" + random.nextInt(20) : enc(printable.next(random).value());
        return switch (random.nextInt(4)) {
            case 0 -> {
                auth.put("Content-Type", random.nextInt(5) == 0 ? pick(CONTENT_TYPES) : "application/json");
                yield new Case("PUT /admin/quotas/{owner}", "PUT", "/admin/quotas/" + owner, auth, utf8(quotaBody()),
                        true);
            }
            case 1 -> new Case("DELETE /admin/quotas/{owner}", "DELETE", "/admin/quotas/" + owner, auth, null, true);
            case 2 -> new Case("GET /usage", "GET", "/usage", auth, null, false);
            default -> new Case("GET /admin/usage", "GET", "/admin/usage", auth, null, false);
        };
    }

    private String quotaBody() {
        if (random.nextInt(4) == 0) return anyText.next(random).value();
        Map<String, Object> body = new LinkedHashMap<>();
        for (String field : List.of("live_jobs", "nodes_per_job", "live_vcpus", "live_accelerators",
                "live_usd_per_hour")) {
            if (random.nextBoolean()) body.put(field, random.nextInt(3) == 0 ? value(1) : random.nextInt(2000) - 10);
        }
        if (random.nextInt(6) == 0) body.put(printable.next(random).value(), value(1));
        return jsonDoc(body);
    }

    /** Any endpoint, the live stream included, with a missing, malformed or unknown credential. */
    private Case badCredentials() {
        Map<String, String> headers = new LinkedHashMap<>();
        switch (random.nextInt(6)) {
            case 0 -> { }
            case 1 -> headers.put("Authorization", "Bearer " + printable.next(random).value());
            case 2 -> headers.put("Authorization", anyText.next(random).value());
            case 3 -> headers.put("Authorization", "Bearer " + "x".repeat(random.nextInt(30_000)));
            case 4 -> headers.put("Authorization", "Basic " + printable.next(random).value());
            default -> headers.put("Authorization", "bearer  " + adminToken + "x");
        }
        String[][] endpoints = {{"GET", "/jobs/stream"}, {"GET", "/jobs"}, {"POST", "/jobs"}, {"GET", "/jobs/1/logs?follow=true"},
                {"POST", "/jobs/1/cancel"}, {"GET", "/tokens"}, {"POST", "/webhooks"}, {"GET", "/controller"},
                {"DELETE", "/tokens/1"}};
        String[] e = endpoints[random.nextInt(endpoints.length)];
        byte[] body = e[0].equals("POST") ? utf8("run: echo\n") : null;
        if (body != null) headers.put("Content-Type", "application/yaml");
        return new Case("(no valid token)", e[0], e[1], headers, body, !e[0].equals("GET"));
    }

    private String randomId() {
        return switch (random.nextInt(8)) {
            case 0 -> existingJob;
            case 1 -> String.valueOf(ints.next(random).value());
            case 2 -> String.valueOf(longs.next(random).value());
            case 3 -> huge.next(random).value().toString();
            case 4 -> pick(List.of("..", ".", "%2e%2e", "%2F", "%00", "1;x", "1%20", "-0", "0x10", "1e3", "%E2%80%AE"));
            default -> enc(random.nextBoolean() ? anyText.next(random).value() : special.next(random).value());
        };
    }

    private String scalarText() {
        Object v = value(0);
        return v == null ? "" : v.toString();
    }

    private Map<String, String> auth(String token) {
        Map<String, String> h = new LinkedHashMap<>();
        h.put("Authorization", "Bearer " + token);
        if (random.nextInt(10) == 0) h.put("Accept", pick(CONTENT_TYPES));
        return h;
    }

    private String jsonDoc(Object value) {
        return write(() -> json.writeValueAsString(value));
    }

    private String yamlDoc(Object value) {
        return write(() -> yaml.writeValueAsString(value));
    }

    private interface Writer {
        String write() throws Exception;
    }

    private static String write(Writer w) {
        try {
            return w.write();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Map.of iterates in a different order in every JVM; the same seed must give the same documents. */
    private static Map<String, Object> ordered(Object... keysAndValues) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) m.put((String) keysAndValues[i], keysAndValues[i + 1]);
        return m;
    }

    private <T> T pick(List<T> from) {
        return from.get(random.nextInt(from.size()));
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static <T> RandomGenerator<T> gen(Arbitrary<T> arbitrary) {
        return arbitrary.generator(1000);
    }
}

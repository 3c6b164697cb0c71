package io.crossjobs.cli.format;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** How a job view (job-api's JSON) reads in one line: its resources, its placement, its outcome. */
public final class JobText {
    private static final Set<String> TERMINAL = Set.of("SUCCEEDED", "CANCELLED", "FAILED", "FAILED_SETUP",
            "FAILED_PRECHECKS", "FAILED_NO_RESOURCE", "FAILED_CONTROLLER");

    public static boolean isTerminal(String status) { return TERMINAL.contains(status); }

    /**
     * SkyPilot's RESOURCES column: {@code 1x AWS(m6i.large, spot)} once placed, otherwise what was asked,
     * {@code 1x[CPU:2+, A100:8, spot]}.
     */
    public static String resources(JsonNode job) {
        String nodes = job.path("numNodes").asInt(1) + "x";
        String cloud = text(job, "cloud");
        boolean spot = job.path("spot").asBoolean(false);
        if (cloud != null && text(job, "instanceType") != null) {
            return nodes + " " + cloud.toUpperCase(Locale.ROOT) + "(" + text(job, "instanceType") + (spot ? ", spot" : "") + ")";
        }
        JsonNode r = job.path("resources");
        List<String> parts = new ArrayList<>();
        if (text(r, "cloud") != null) parts.add(text(r, "cloud").toUpperCase(Locale.ROOT));
        if (text(r, "instanceType") != null) parts.add(text(r, "instanceType"));
        if (text(r, "cpus") != null) parts.add("CPU:" + text(r, "cpus"));
        if (text(r, "memory") != null) parts.add("Mem:" + text(r, "memory"));
        String accelerators = accelerators(r.path("accelerators"));
        if (accelerators != null) parts.add(accelerators);
        if (r.path("useSpot").asBoolean(false)) parts.add("spot");
        return parts.isEmpty() ? nodes : nodes + "[" + String.join(", ", parts) + "]";
    }

    /** {@code aws/us-east-1/us-east-1a m6i.large (on-demand, $0.0960/h)}, or null before a placement exists. */
    public static String placement(JsonNode job) {
        String cloud = text(job, "cloud");
        if (cloud == null) return null;
        StringBuilder s = new StringBuilder(cloud);
        if (text(job, "region") != null) s.append('/').append(text(job, "region"));
        if (text(job, "zone") != null) s.append('/').append(text(job, "zone"));
        if (text(job, "instanceType") != null) s.append(' ').append(text(job, "instanceType"));
        s.append(" (").append(job.path("spot").asBoolean(false) ? "spot" : "on-demand");
        if (job.hasNonNull("pricePerHour")) s.append(", ").append(money(job.get("pricePerHour").asDouble())).append("/h");
        return s.append(')').toString();
    }

    /** Why a finished job did not succeed: {@code exit code 3, USER_CODE_FAILED}; empty when nothing is known. */
    public static String failure(JsonNode jobOrEvent) {
        List<String> parts = new ArrayList<>();
        if (jobOrEvent.hasNonNull("exitCode")) parts.add("exit code " + jobOrEvent.get("exitCode").asInt());
        if (text(jobOrEvent, "failureReason") != null) parts.add(text(jobOrEvent, "failureReason"));
        return String.join(", ", parts);
    }

    /**
     * A failed job's kept cluster: {@code cluster cj-7-1 (i-0a1, i-0a2) held 24m 10s more, $0.0120 so far}, or {@code
     * ... held until 2026-12-06T12:30:00Z, $0.0300} once it is over; empty for a job that holds none.
     */
    public static String hold(JsonNode hold) {
        if (hold == null || hold.isNull() || hold.isMissingNode()) return "";
        List<String> ids = new ArrayList<>();
        hold.path("instanceIds").forEach(i -> ids.add(i.asText()));
        String what = "cluster " + hold.path("cluster").asText() + (ids.isEmpty() ? "" : " (" + String.join(", ", ids) + ")");
        String cost = money(hold.path("costSoFar").asDouble());
        if (hold.path("active").asBoolean()) {
            return what + " held " + io.crossjobs.cli.format.Durations.length(hold.path("secondsLeft").asLong())
                    + " more, " + cost + " so far";
        }
        String over = hold.hasNonNull("releasedAt") ? "released at " + hold.get("releasedAt").asText()
                : "held until " + hold.path("until").asText();
        return what + " " + over + ", " + cost;
    }

    public static String money(double usd) {
        return usd >= 1 || usd == 0 ? String.format(Locale.ROOT, "$%.2f", usd) : String.format(Locale.ROOT, "$%.4f", usd);
    }

    public static String text(JsonNode node, String field) {
        JsonNode v = node.get(field);
        return v == null || v.isNull() || v.asText().isBlank() ? null : v.asText();
    }

    private static String accelerators(JsonNode a) {
        if (a == null || a.isNull() || a.isMissingNode()) return null;
        if (a.isTextual()) return a.asText().isBlank() ? null : a.asText();
        List<String> each = new ArrayList<>();
        if (a.isObject()) {
            for (Map.Entry<String, JsonNode> e : (Iterable<Map.Entry<String, JsonNode>>) a::fields) {
                each.add(e.getKey() + ":" + e.getValue().asText());
            }
        } else if (a.isArray()) {
            a.forEach(x -> each.add(x.asText()));
        }
        return each.isEmpty() ? null : String.join("|", each);
    }

    private JobText() { }
}

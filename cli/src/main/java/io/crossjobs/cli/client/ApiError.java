package io.crossjobs.cli.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.crossjobs.cli.CliException;

import java.util.ArrayList;
import java.util.List;

/**
 * A refused request, worded for the user: the problem's title/detail and every field error it lists
 * (job-api's RFC 9457 problems, and the older {@code {"error", "field"}} answers).
 */
public final class ApiError extends CliException {
    private final int status;

    ApiError(int status, String message) {
        super(message);
        this.status = status;
    }

    public int status() { return status; }

    static ApiError from(int status, String body, String what, String tokenSource, ObjectMapper json) {
        JsonNode problem = parse(body, json);
        String detail = text(problem, "detail");
        if (detail == null) detail = text(problem, "error");
        if (detail == null) detail = text(problem, "title");
        List<String> fieldErrors = fieldErrors(problem);
        List<String> lines = new ArrayList<>();
        if (!fieldErrors.isEmpty()) {
            // job-api's detail repeats the field errors on one line: they read better one per line alone
            String title = text(problem, "title");
            lines.add(what + ": refused (" + status + (title == null ? "" : " " + title) + "):");
            lines.addAll(fieldErrors);
            return new ApiError(status, String.join("\n", lines));
        }
        switch (status) {
            case 401 -> lines.add(what + ": the server refused the token from " + tokenSource
                    + " (401 unauthorized). Pass --token, set CROSSJOBS_TOKEN or put token=... in ~/.crossjobs/config.");
            case 403 -> lines.add(what + ": not allowed (403)" + (detail == null ? "" : ": " + detail)
                    + (text(problem, "quota") == null ? "" : "\n  (your usage and quotas: crossjobs usage)"));
            case 404 -> lines.add(what + ": not found (404)" + (detail == null ? "" : ": " + detail));
            case 409 -> lines.add(what + ": refused (409 conflict)" + (detail == null ? "" : ": " + detail));
            case 429 -> lines.add(what + ": refused (429 too many)" + (detail == null ? "" : ": " + detail)
                    + (text(problem, "quota") != null && text(problem, "quota").startsWith("live-")
                    ? "\n  (your usage and quotas: crossjobs usage)" : ""));
            case 413 -> lines.add(what + ": too large for job-api (413)" + (detail == null ? "" : ": " + detail));
            default -> lines.add(what + ": the server answered " + status
                    + (detail == null ? (body.isBlank() ? "" : ": " + abbreviate(body)) : ": " + detail));
        }
        return new ApiError(status, String.join("\n", lines));
    }

    private static List<String> fieldErrors(JsonNode problem) {
        List<String> lines = new ArrayList<>();
        if (problem == null) return lines;
        if (problem.path("errors").isArray()) {
            for (JsonNode e : problem.path("errors")) {
                lines.add("  " + e.path("field").asText("?") + ": " + e.path("message").asText(""));
            }
        } else if (problem.hasNonNull("field")) {
            lines.add("  " + problem.get("field").asText() + ": " + problem.path("error").asText(""));
        }
        return lines;
    }

    private static JsonNode parse(String body, ObjectMapper json) {
        try {
            JsonNode node = json.readTree(body);
            return node != null && node.isObject() ? node : null;
        } catch (Exception e) {
            return null;
        }
    }

    private static String text(JsonNode node, String field) {
        return node != null && node.hasNonNull(field) && !node.get(field).asText().isBlank() ? node.get(field).asText() : null;
    }

    private static String abbreviate(String body) {
        String oneLine = body.strip().replaceAll("\\s+", " ");
        return oneLine.length() > 300 ? oneLine.substring(0, 300) + "..." : oneLine;
    }
}

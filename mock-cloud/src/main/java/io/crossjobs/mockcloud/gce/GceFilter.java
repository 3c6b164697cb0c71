package io.crossjobs.mockcloud.gce;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The subset of GCE's list filter syntax crossjobs and gcloud use: terms {@code field = value},
 * {@code field != value} or {@code field : value} ("has"), value bare or double-quoted, {@code *} as a wildcard,
 * optionally in parentheses, joined by {@code AND} or by juxtaposition. Fields are dotted paths into the
 * resource's JSON ({@code labels.crossjobs-job-id}, {@code status}, {@code operationType}).
 */
public final class GceFilter {
    private static final Pattern TERM = Pattern.compile(
            "\\s*(?:AND\\s+)?\\(?\\s*([A-Za-z_][A-Za-z0-9_.\\-]*)\\s*(!=|=|:)\\s*(\"(?:[^\"\\\\]|\\\\.)*\"|[^\\s()]+)\\s*\\)?\\s*");

    private record Term(String[] path, String op, Pattern value) { }

    private final List<Term> terms;

    private GceFilter(List<Term> terms) {
        this.terms = terms;
    }

    public static GceFilter parse(String filter) {
        List<Term> terms = new ArrayList<>();
        if (filter == null || filter.isBlank()) return new GceFilter(terms);
        Matcher m = TERM.matcher(filter);
        int at = 0;
        while (at < filter.length()) {
            if (!m.find(at) || m.start() != at || m.end() == at) {
                throw GceError.invalid("Invalid list filter expression '" + filter + "'.");
            }
            String raw = m.group(3);
            String value = raw.startsWith("\"") ? raw.substring(1, raw.length() - 1).replaceAll("\\\\(.)", "$1") : raw;
            terms.add(new Term(m.group(1).split("\\."), m.group(2), glob(value)));
            at = m.end();
        }
        return new GceFilter(terms);
    }

    public boolean matches(JsonNode resource) {
        for (Term t : terms) {
            JsonNode node = resource;
            for (String part : t.path()) node = node == null ? null : node.get(part);
            String actual = node == null || node.isNull() || node.isContainerNode() ? null : node.asText();
            boolean equal = actual != null && t.value().matcher(actual).matches();
            boolean ok = switch (t.op()) {
                case "!=" -> !equal;
                case ":" -> actual != null;
                default -> equal;
            };
            if (!ok) return false;
        }
        return true;
    }

    private static Pattern glob(String value) {
        return Pattern.compile(java.util.Arrays.stream(value.split("\\*", -1)).map(Pattern::quote)
                .collect(java.util.stream.Collectors.joining(".*")));
    }
}

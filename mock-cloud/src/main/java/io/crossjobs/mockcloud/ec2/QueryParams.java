package io.crossjobs.mockcloud.ec2;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The parameters of an AWS Query request ({@code Action=...&Version=...}), from a form-encoded body and/or a
 * query string. Lists use EC2's flattened numbering: {@code InstanceId.1}, {@code Filter.2.Value.1}, ...
 */
public final class QueryParams {
    private final Map<String, String> values;

    private QueryParams(Map<String, String> values) {
        this.values = values;
    }

    public static QueryParams of(Map<String, String> values) {
        return new QueryParams(new LinkedHashMap<>(values));
    }

    /**
     * Parses {@code a=1&b=2} (application/x-www-form-urlencoded, UTF-8). A name given twice keeps its first
     * value.
     *
     * @throws Ec2Error MalformedQueryString on a bad percent escape
     */
    public static QueryParams parse(String encoded) {
        Map<String, String> values = new LinkedHashMap<>();
        addAll(values, encoded);
        return new QueryParams(values);
    }

    /** A copy with the parameters of {@code encoded} added (existing names win). */
    public QueryParams with(String encoded) {
        Map<String, String> merged = new LinkedHashMap<>(values);
        addAll(merged, encoded);
        return new QueryParams(merged);
    }

    private static void addAll(Map<String, String> values, String encoded) {
        if (encoded == null || encoded.isEmpty()) return;
        for (String pair : encoded.split("&")) {
            if (pair.isEmpty()) continue;
            int eq = pair.indexOf('=');
            String name = decode(eq < 0 ? pair : pair.substring(0, eq));
            String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
            values.putIfAbsent(name, value);
        }
    }

    private static String decode(String s) {
        try {
            return URLDecoder.decode(s, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new Ec2Error(400, "MalformedQueryString", "The query string is malformed: " + e.getMessage());
        }
    }

    public String get(String name) {
        return values.get(name);
    }

    public String get(String name, String fallback) {
        String v = values.get(name);
        return v == null ? fallback : v;
    }

    /** @throws Ec2Error MissingParameter when absent or empty */
    public String require(String name) {
        String v = values.get(name);
        if (v == null || v.isEmpty()) {
            throw new Ec2Error(400, "MissingParameter", "The request must contain the parameter " + name);
        }
        return v;
    }

    /** Values of {@code prefix.1}, {@code prefix.2}, ... in index order. */
    public List<String> list(String prefix) {
        SortedMap<Integer, String> byIndex = new TreeMap<>();
        String p = prefix + ".";
        for (Map.Entry<String, String> e : values.entrySet()) {
            if (!e.getKey().startsWith(p)) continue;
            Integer index = index(e.getKey().substring(p.length()));
            if (index != null) byIndex.put(index, e.getValue());
        }
        return new ArrayList<>(byIndex.values());
    }

    /** The N of every {@code prefix.N} and {@code prefix.N.member}, in order. */
    public SortedSet<Integer> indexes(String prefix) {
        SortedSet<Integer> indexes = new TreeSet<>();
        String p = prefix + ".";
        for (String key : values.keySet()) {
            if (!key.startsWith(p)) continue;
            String rest = key.substring(p.length());
            int dot = rest.indexOf('.');
            Integer index = index(dot < 0 ? rest : rest.substring(0, dot));
            if (index != null) indexes.add(index);
        }
        return indexes;
    }

    public Map<String, String> asMap() {
        return Collections.unmodifiableMap(values);
    }

    private static Integer index(String s) {
        if (s.isEmpty() || s.length() > 9) return null;
        for (int i = 0; i < s.length(); i++) {
            if (!Character.isDigit(s.charAt(i))) return null;
        }
        return Integer.parseInt(s);
    }
}

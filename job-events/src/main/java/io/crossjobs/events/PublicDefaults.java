package io.crossjobs.events;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * Credentials whose values are public: the defaults docker-compose.yml published for a first try, and the database
 * password the services' application.properties default to. A service holding one of them in a setting must not
 * start where others can reach it; each service refuses to start with one unless
 * {@code crossjobs.allow-public-defaults=true} (the local stack sets it: its PostgreSQL listens on loopback only).
 */
public final class PublicDefaults {
    public static final String ALLOW = "crossjobs.allow-public-defaults";

    private static final Map<String, Set<String>> PUBLIC = Map.of(
            "jobapi.auth.bootstrap-admin-token", Set.of("local-admin-token-change-me"),
            "crossjobs.secrets.key", Set.of("asnpk/SCiXLX7AC0YImG2iayRPdbw634itBIzIygEVI="),
            "quarkus.datasource.password", Set.of("postgres"));

    /**
     * Throws, naming each setting that holds a public value, unless {@value #ALLOW} is true: what each service does at
     * its start, with its configuration as {@code setting}.
     */
    public static void refuseToStart(Function<String, Optional<String>> setting) {
        if (setting.apply(ALLOW).map(v -> Boolean.parseBoolean(v.trim())).orElse(false)) return;
        List<String> problems = problems(setting);
        if (!problems.isEmpty()) throw new IllegalStateException("refusing to start: " + String.join("; ", problems));
    }

    /** Each setting that holds a public value, with what to do; empty when none does. */
    public static List<String> problems(Function<String, Optional<String>> setting) {
        List<String> problems = new ArrayList<>();
        PUBLIC.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e -> {
            Optional<String> value = setting.apply(e.getKey());
            if (value.isPresent() && e.getValue().contains(value.get().trim())) {
                problems.add(e.getKey() + " holds a publicly known default value; set a value of your own (or "
                        + ALLOW + "=true on a machine only you can reach)");
            }
        });
        return problems;
    }

    private PublicDefaults() { }
}

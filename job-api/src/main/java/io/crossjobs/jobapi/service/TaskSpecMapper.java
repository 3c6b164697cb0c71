package io.crossjobs.jobapi.service;

import io.crossjobs.events.FileMount;
import io.crossjobs.events.JobRecovery;
import io.crossjobs.events.Resources;
import io.crossjobs.events.TaskSpec;
import io.crossjobs.events.TimeLimit;
import io.crossjobs.jobapi.model.JobRecoveryRequest;
import io.crossjobs.jobapi.model.ResourcesRequest;
import io.crossjobs.jobapi.model.SubmitJobRequest;

import java.math.BigInteger;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.regex.Pattern;

/**
 * A bound task in SkyPilot's spelling → the contract's {@link TaskSpec}, with the checks bean validation
 * cannot express: {@code infra} syntax, supported clouds, and the fields crossjobs cannot honour yet, which
 * are rejected by name rather than dropped. Problems go to {@code errors} (field, message) so that all of
 * them are reported at once; the returned spec is meaningful only when none were reported.
 */
public final class TaskSpecMapper {

    public static final Set<String> CLOUDS = Set.of("aws", "gcp", "azure");
    static final String MEDIUM_DISK_TIER = "medium";
    static final long MAX_DISK_GB = 65536;
    /** The longest time limit a task may set. */
    static final Duration MAX_DURATION = Duration.ofDays(365);
    /** The longest a failed task's cluster may be kept for debugging: it costs as it runs. */
    public static final Duration MAX_KEEP_ON_FAILURE = Duration.ofDays(7);
    private static final Pattern LOCATION = Pattern.compile("[a-z0-9][-a-z0-9]{0,63}");
    private static final String NOT_YET = "is not supported yet: ";
    private static final Resources ANY = Resources.builder().build();

    /** A job submitted without a name is called {@code job-<id>}, so every job has one to show and search. */
    public static String nameOrDefault(String name, long jobId) {
        return name == null || name.isBlank() ? "job-" + jobId : name;
    }

    /** A task whose problems were already excluded: the first problem found is thrown as a 400 naming its field. */
    public static TaskSpec toTaskSpec(SubmitJobRequest request, String name) {
        return toTaskSpec(request, name, (field, message) -> {
            throw new InvalidInputException(field, message);
        });
    }

    public static TaskSpec toTaskSpec(SubmitJobRequest request, String name, BiConsumer<String, String> errors) {
        List<FileMount> fileMounts = FileMountsMapper.map(request.workdir(), request.fileMounts(), errors);
        if (request.envs() != null && request.secrets() != null) {
            request.secrets().keySet().stream().filter(request.envs()::containsKey).sorted()
                    .forEach(k -> errors.accept("secrets." + k, "is also defined in envs"));
        }
        Resources resources = toResources(request.resources(), "resources", true, errors);
        // a null value (or one that could not be read) is already reported by validation; the spec only needs
        // to be buildable so that every other problem is reported with it
        TaskSpec task = new TaskSpec(name, resources, request.numNodes() == null ? 1 : request.numNodes(),
                withoutNulls(request.envs()), withoutNulls(request.secrets()), blankToNull(request.setup()),
                request.run(), fileMounts);
        try {
            UserDataBudget.problem(task).ifPresent(problem -> errors.accept(UserDataBudget.field(task), problem));
        } catch (IllegalArgumentException e) {
            // an env name that is no shell variable or a NUL: reported by the fields' own checks
        }
        return task;
    }

    private static Map<String, String> withoutNulls(Map<String, String> values) {
        if (values == null) return null;
        Map<String, String> kept = new LinkedHashMap<>();
        values.forEach((k, v) -> {
            if (k != null && v != null) kept.put(k, v);
        });
        return kept;
    }

    static Resources toResources(ResourcesRequest r, String path, boolean top, BiConsumer<String, String> errors) {
        if (r == null) return ANY;
        rejectUnsupported(r, path, errors);
        String[] location = location(r, path, errors);
        List<Resources> anyOf = alternatives(r.anyOf(), path + ".any_of", errors);
        List<Resources> ordered = alternatives(r.ordered(), path + ".ordered", errors);
        if (!anyOf.isEmpty() && !ordered.isEmpty()) {
            errors.accept(path + ".ordered", "give either any_of or ordered, not both");
        }
        if (!top && (r.anyOf() != null || r.ordered() != null || r.jobRecovery() != null || r.labels() != null
                || r.maxDuration() != null || r.keepOnFailure() != null)) {
            String field = r.anyOf() != null ? "any_of" : r.ordered() != null ? "ordered"
                    : r.jobRecovery() != null ? "job_recovery" : r.labels() != null ? "labels"
                    : r.maxDuration() != null ? "max_duration" : "keep_on_failure";
            errors.accept(path + "." + field, "belongs to the task's resources, not to one alternative");
        }
        List<String> accelerators = r.accelerators() == null ? null : r.accelerators().names();
        boolean inOrder = r.accelerators() != null && r.accelerators().inOrder() && accelerators.size() > 1;
        Map<String, String> labels = top ? labels(r.labels(), path + ".labels", clouds(location[0], anyOf, ordered),
                errors) : null;
        return Resources.builder().cloud(location[0]).region(location[1]).zone(location[2])
                .instanceType(r.instanceType()).cpus(r.cpus()).memory(SizeUnits.memoryInGb(r.memory()))
                .accelerators(accelerators).acceleratorsInOrder(inOrder).useSpot(r.useSpot())
                .diskSizeGb(diskSizeGb(r.diskSize(), path + ".disk_size", errors)).anyOf(anyOf).ordered(ordered)
                .jobRecovery(recovery(r.jobRecovery())).labels(labels)
                .maxDurationSeconds(top ? duration(r.maxDuration(), path + ".max_duration", MAX_DURATION, errors) : null)
                .keepOnFailureSeconds(top ? duration(r.keepOnFailure(), path + ".keep_on_failure", MAX_KEEP_ON_FAILURE,
                        errors) : null)
                .build();
    }

    /**
     * A duration in seconds, as dstack's {@code max_duration} is written: a number of seconds or amounts with units
     * ({@code 90}, {@code 30m}, {@code 2h}, {@code 1h30m}, {@code 7d}), at least 1 s and at most {@code max}; {@code
     * max_duration} (the task's time limit) and {@code keep_on_failure} (how long a failed task's cluster is kept).
     */
    private static Long duration(com.fasterxml.jackson.databind.JsonNode value, String field, Duration max,
                                 BiConsumer<String, String> errors) {
        if (value == null || value.isNull()) return null;
        return duration(value.isIntegralNumber() || value.isTextual() ? value.asText() : null, field, max, errors);
    }

    /** {@link #duration(com.fasterxml.jackson.databind.JsonNode, String, Duration, BiConsumer)} of a text. */
    public static Long duration(String text, String field, Duration max, BiConsumer<String, String> errors) {
        long seconds = TimeLimit.parseSeconds(text);
        if (seconds < 0) {
            errors.accept(field, "must be a duration such as 90 (seconds), 30m, 2h, 1h30m or 7d");
            return null;
        }
        if (seconds < 1 || seconds > max.toSeconds()) {
            errors.accept(field, "must be 1s to " + TimeLimit.text(max.toSeconds()) + ", is "
                    + TimeLimit.text(seconds));
            return null;
        }
        return seconds;
    }

    /** The disk in whole GB, 1 to 65536; an unreadable size is reported by validation already. */
    private static Integer diskSizeGb(String diskSize, String field, BiConsumer<String, String> errors) {
        BigInteger gb = SizeUnits.diskSizeGb(diskSize);
        if (gb == null) return null;
        if (gb.signum() < 1 || gb.compareTo(BigInteger.valueOf(MAX_DISK_GB)) > 0) {
            errors.accept(field, "must be 1 to " + MAX_DISK_GB + " GB, is " + gb + " GB");
            return null;
        }
        return gb.intValue();
    }

    /**
     * The clouds a task may run on: its own cloud, or, when it has none, the clouds its alternatives pin, or all of
     * them when one alternative pins none (alternatives take the task's cloud when they name none).
     */
    private static Set<String> clouds(String cloud, List<Resources> anyOf, List<Resources> ordered) {
        if (cloud != null) return Set.of(cloud);
        List<Resources> alternatives = new ArrayList<>(anyOf);
        alternatives.addAll(ordered);
        if (alternatives.isEmpty() || alternatives.stream().anyMatch(a -> a.cloud() == null)) return CLOUDS;
        Set<String> clouds = new java.util.TreeSet<>();
        alternatives.forEach(a -> clouds.add(a.cloud()));
        return clouds;
    }

    /**
     * {@code resources.labels}, checked against the rules of every cloud the task may run on, as SkyPilot checks them
     * against the chosen cloud or, with none chosen, against every enabled one: a label one of them cannot take is
     * refused at submission, naming the label and the cloud.
     */
    private static Map<String, String> labels(Map<String, String> labels, String path, Set<String> clouds,
                                              BiConsumer<String, String> errors) {
        if (labels == null) return null;
        Map<String, String> kept = new LinkedHashMap<>();
        labels.forEach((k, v) -> {
            if (v == null) errors.accept(path + "." + k, "must be a string (SkyPilot's labels are strings)");
            else kept.put(k, v);
        });
        for (String cloud : new java.util.TreeSet<>(clouds)) {
            for (CloudLabelRules.Problem p : CloudLabelRules.check(cloud, kept)) {
                errors.accept(p.key() == null ? path : path + "." + p.key(), p.message()
                        + (clouds.size() > 1 ? " (the task may run on " + String.join(", ",
                        new java.util.TreeSet<>(clouds)) + "; pin a cloud to be held to its rules only)" : ""));
            }
        }
        return kept;
    }

    private static void rejectUnsupported(ResourcesRequest r, String path, BiConsumer<String, String> errors) {
        if (r.imageId() != null) {
            errors.accept(path + ".image_id", NOT_YET + "jobs run on each cloud's default image");
        }
        if (r.ports() != null) {
            errors.accept(path + ".ports", NOT_YET + "crossjobs opens no ports on job clusters");
        }
        if (r.diskTier() != null && !MEDIUM_DISK_TIER.equalsIgnoreCase(r.diskTier())) {
            errors.accept(path + ".disk_tier", "'" + r.diskTier() + "' " + NOT_YET
                    + "only the default tier (medium) is available");
        }
    }

    /** cloud, region, zone from {@code infra} ("aws/us-east-1/us-east-1a", "*" for any) or the older fields. */
    private static String[] location(ResourcesRequest r, String path, BiConsumer<String, String> errors) {
        if (r.infra() == null) {
            return new String[]{cloud(r.cloud(), path + ".cloud", errors), anyToNull(r.region()), anyToNull(r.zone())};
        }
        if (r.cloud() != null || r.region() != null || r.zone() != null) {
            errors.accept(path + ".infra", "give either infra or cloud/region/zone, not both");
        }
        String[] parts = r.infra().trim().split("/", -1);
        if (parts.length > 3 || r.infra().isBlank()) {
            errors.accept(path + ".infra", "must be CLOUD[/REGION[/ZONE]] (\"*\" for any), e.g. aws/us-east-1");
            return new String[3];
        }
        String cloud = cloud(anyToNull(parts[0]), path + ".infra", errors);
        String region = parts.length > 1 ? anyToNull(parts[1]) : null;
        String zone = parts.length > 2 ? anyToNull(parts[2]) : null;
        for (String part : new String[]{region, zone}) {
            if (part != null && !LOCATION.matcher(part).matches()) {
                errors.accept(path + ".infra", "'" + part + "' is not a region or zone name");
            }
        }
        return new String[]{cloud, region, zone};
    }

    private static String cloud(String value, String field, BiConsumer<String, String> errors) {
        if (value == null) return null;
        String cloud = value.toLowerCase(Locale.ROOT);
        if (!CLOUDS.contains(cloud)) {
            errors.accept(field, "'" + value + "' " + NOT_YET + "crossjobs runs jobs on aws, gcp and azure only");
            return null;
        }
        return cloud;
    }

    private static List<Resources> alternatives(List<ResourcesRequest> list, String path,
                                                BiConsumer<String, String> errors) {
        if (list == null) return List.of();
        List<Resources> result = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            if (list.get(i) == null) {
                errors.accept(path + "[" + i + "]", "must be an object of resources");
                continue;
            }
            result.add(toResources(list.get(i), path + "[" + i + "]", false, errors));
        }
        return result;
    }

    private static JobRecovery recovery(JobRecoveryRequest r) {
        if (r == null) return null;
        return new JobRecovery(r.strategy() == null ? null : r.strategy().toUpperCase(Locale.ROOT),
                r.maxRestartsOnErrors() == null ? 0 : r.maxRestartsOnErrors(),
                // a null code is reported by validation; the spec only has to be buildable
                r.recoverOnExitCodes() == null ? null
                        : r.recoverOnExitCodes().stream().filter(java.util.Objects::nonNull).toList(),
                Boolean.TRUE.equals(r.resetMaxDuration()));
    }

    private static String anyToNull(String s) {
        return s == null || s.isBlank() || s.equals("*") ? null : s;
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }

    private TaskSpecMapper() { }
}

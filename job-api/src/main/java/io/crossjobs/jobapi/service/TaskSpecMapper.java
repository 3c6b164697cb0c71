package io.crossjobs.jobapi.service;

import io.crossjobs.events.Resources;
import io.crossjobs.events.TaskSpec;
import io.crossjobs.jobapi.model.ResourcesRequest;
import io.crossjobs.jobapi.model.SubmitJobRequest;

import java.util.List;
import java.util.Locale;

/** A validated request in SkyPilot's spelling → the contract's {@link TaskSpec}. */
public final class TaskSpecMapper {

    private static final Resources ANY = new Resources(null, null, null, null, null, null, null, false, null);

    /** A job submitted without a name is called {@code job-<id>}, so every job has one to show and search. */
    public static String nameOrDefault(String name, long jobId) {
        return name == null || name.isBlank() ? "job-" + jobId : name;
    }

    public static TaskSpec toTaskSpec(SubmitJobRequest request, String name) {
        return new TaskSpec(name, toResources(request.resources()),
                request.numNodes() == null ? 1 : request.numNodes(),
                request.envs(), blankToNull(request.setup()), request.run());
    }

    static Resources toResources(ResourcesRequest r) {
        if (r == null) return ANY;
        List<String> accelerators = r.accelerators() == null || r.accelerators().isEmpty()
                ? null : List.copyOf(r.accelerators());
        return new Resources(r.cloud() == null ? null : r.cloud().toLowerCase(Locale.ROOT), r.region(), r.zone(),
                r.instanceType(), r.cpus(), r.memory(), accelerators, Boolean.TRUE.equals(r.useSpot()),
                r.diskSize());
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }

    private TaskSpecMapper() { }
}

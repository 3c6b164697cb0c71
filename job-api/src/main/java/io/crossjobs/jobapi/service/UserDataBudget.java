package io.crossjobs.jobapi.service;

import io.crossjobs.events.LaunchCluster;
import io.crossjobs.events.NodeIpsLookup;
import io.crossjobs.events.OutputShipping;
import io.crossjobs.events.Placement;
import io.crossjobs.events.Resources;
import io.crossjobs.events.ScriptOptions;
import io.crossjobs.events.SecretDelivery;
import io.crossjobs.events.StartupScript;
import io.crossjobs.events.TimeLimit;
import io.crossjobs.events.TaskSpec;
import io.crossjobs.events.UserDataLimits;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Whether a task's startup script can be any cloud's user data it may be placed on. The script is rendered as a
 * provisioner renders it, with every value the task does not fix yet (ids, the exit nonce, the cloud's metadata
 * command, the cloud's ship and secret-fetch functions) at its longest, so a task accepted here is never refused for its size by all of its clouds. A script
 * that fits some of its clouds only is accepted: the provisioner of a cloud it does not fit refuses it before
 * any cloud call ({@code UserDataTooLarge}), and the controller places it elsewhere.
 */
public final class UserDataBudget {
    /** Longer than any id job-api makes or a cluster name the controller derives from it. */
    private static final String LONGEST_ID = "x".repeat(64);
    private static final String LONGEST_NONCE = "n".repeat(64);

    /** The size problem of {@code task}, or empty when its script fits at least one cloud it may use. */
    public static Optional<String> problem(TaskSpec task) {
        String script = worstCaseScript(task);
        List<String> refusals = new ArrayList<>();
        for (String cloud : candidateClouds(task.resources())) {
            Optional<String> exceeded = UserDataLimits.exceeded(cloud, script);
            if (exceeded.isEmpty()) return Optional.empty();
            refusals.add(cloud + " " + UserDataLimits.of(cloud).orElseThrow());
        }
        return Optional.of("setup, run and envs render to a startup script of up to "
                + UserDataLimits.bytes(script) + " bytes, more than the user data of every cloud this task may run"
                + " on takes (bytes: " + String.join(", ", refusals) + "); make them smaller, e.g. fetch a script"
                + " in setup");
    }

    /** The field to blame: whichever of run and setup is longer. */
    public static String field(TaskSpec task) {
        int run = task.run() == null ? 0 : task.run().length();
        int setup = task.setup() == null ? 0 : task.setup().length();
        return setup > run ? "setup" : "run";
    }

    static String worstCaseScript(TaskSpec task) {
        LaunchCluster launch = new LaunchCluster(LONGEST_ID, Integer.MAX_VALUE, LONGEST_ID, LONGEST_ID,
                Placement.builder().build(), task.numNodes(), task.envs(), task.secrets(),
                task.setup(), task.run(), task.fileMounts(), null);
        Long limit = task.resources() == null ? null : task.resources().maxDurationSeconds();
        if (limit != null) launch = launch.withTimeLimit(new TimeLimit(limit, Long.MAX_VALUE / 2, Long.MAX_VALUE / 2));
        NodeIpsLookup lookup = new NodeIpsLookup("c".repeat(NodeIpsLookup.MAX_READ_COMMAND_BYTES),
                Duration.ofDays(365));
        OutputShipping shipping = new OutputShipping("s".repeat(OutputShipping.MAX_SHIP_FUNCTION_BYTES));
        SecretDelivery secrets = task.secrets().isEmpty() && task.fileMounts().isEmpty() ? null
                : new SecretDelivery("f".repeat(SecretDelivery.MAX_FETCH_FUNCTION_BYTES));
        return StartupScript.render(launch, 0, ScriptOptions.defaults().withSecrets(secrets).withLookup(lookup)
                .withExitNonce(LONGEST_NONCE).withShipping(shipping));
    }

    /** The clouds named by the task and its alternatives; all of them where one leaves the cloud open. */
    static Set<String> candidateClouds(Resources r) {
        Set<String> clouds = new LinkedHashSet<>();
        List<Resources> alternatives = new ArrayList<>(r.anyOf());
        alternatives.addAll(r.ordered());
        if (alternatives.isEmpty()) alternatives.add(null);
        for (Resources alt : alternatives) {
            String cloud = alt != null && alt.cloud() != null ? alt.cloud() : r.cloud();
            if (cloud == null) return new LinkedHashSet<>(List.of("aws", "gcp", "azure"));
            clouds.add(cloud);
        }
        return clouds;
    }

    private UserDataBudget() { }
}

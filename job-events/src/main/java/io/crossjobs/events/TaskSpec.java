package io.crossjobs.events;

import java.util.Map;

/** One task of a managed job: what to run and on what. */
public record TaskSpec(String name, Resources resources, int numNodes, Map<String, String> envs,
                       String setup, String run) {

    public TaskSpec {
        envs = envs == null ? Map.of() : Map.copyOf(envs);
        if (numNodes < 1) numNodes = 1;
    }
}

package io.crossjobs.jobapi.service;

import io.crossjobs.events.TaskSpec;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Job arrays ({@code POST /jobs?num_jobs=N}): N jobs of one task, each told its place by the env vars SkyPilot sets
 * on the jobs of {@code sky jobs launch --num-jobs N}: {@code SKYPILOT_JOB_RANK} (0 to N - 1) and
 * {@code SKYPILOT_NUM_JOBS} (N). They replace a task's own envs of those names.
 */
public final class JobArrays {
    public static final String RANK_ENV = "SKYPILOT_JOB_RANK";
    public static final String SIZE_ENV = "SKYPILOT_NUM_JOBS";

    private JobArrays() { }

    /** Every task of the job of rank {@code rank}, with the two env vars set. */
    public static List<TaskSpec> withRank(List<TaskSpec> tasks, int rank, int size) {
        return tasks.stream().map(t -> {
            Map<String, String> envs = new HashMap<>(t.envs());
            envs.put(RANK_ENV, String.valueOf(rank));
            envs.put(SIZE_ENV, String.valueOf(size));
            return t.withEnvs(envs);
        }).toList();
    }

    /**
     * The name of a secret named like one of the array's env vars, which an array cannot set (a name is an env or a
     * secret, never both), or null.
     */
    public static String secretNamedLikeItsEnvs(List<TaskSpec> tasks) {
        for (TaskSpec task : tasks) {
            for (String name : List.of(RANK_ENV, SIZE_ENV)) {
                if (task.secrets().containsKey(name)) return name;
            }
        }
        return null;
    }
}

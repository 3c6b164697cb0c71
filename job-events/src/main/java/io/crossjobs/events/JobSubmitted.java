package io.crossjobs.events;

import java.time.Instant;
import java.util.List;

/**
 * job-api → controller: a job was accepted. {@code tasks} is the pipeline in order (one task for a plain
 * job); {@code task} is its first task, kept for consumers of the first schema. A higher {@code priority}
 * launches first among waiting jobs (SkyPilot's 0–1000, default 500).
 */
public record JobSubmitted(String jobId, String name, String owner, TaskSpec task, Instant submittedAt,
                           List<TaskSpec> tasks, Integer priority) implements JobEvent {

    public static final int DEFAULT_PRIORITY = 500;

    public JobSubmitted {
        if (tasks == null || tasks.isEmpty()) tasks = task == null ? List.of() : List.of(task);
        else tasks = List.copyOf(tasks);
        if (task == null && !tasks.isEmpty()) task = tasks.get(0);
    }

    /** A job of one task at the default priority. */
    public JobSubmitted(String jobId, String name, String owner, TaskSpec task, Instant submittedAt) {
        this(jobId, name, owner, task, submittedAt, null, null);
    }

    public int effectivePriority() { return priority == null ? DEFAULT_PRIORITY : priority; }
}

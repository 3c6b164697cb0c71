package io.crossjobs.jobapi.service;

import io.crossjobs.events.TaskSpec;

import java.util.List;

/**
 * A valid submission: the job's name (null: to be named after its id) and its tasks in order. Secret values
 * are still plain here; {@link JobSubmissionService} seals them before anything is stored.
 */
public record ParsedJob(String name, List<TaskSpec> tasks) {
    public ParsedJob {
        tasks = List.copyOf(tasks);
    }
}

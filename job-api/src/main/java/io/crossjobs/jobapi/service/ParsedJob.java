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

    /** Every task keeping its cluster {@code seconds} when it fails; null: as the tasks say. */
    public ParsedJob withKeepOnFailure(Long seconds) {
        if (seconds == null) return this;
        return new ParsedJob(name, tasks.stream().map(t -> t.withResources((t.resources() == null
                ? io.crossjobs.events.Resources.builder() : t.resources().toBuilder())
                .keepOnFailureSeconds(seconds).build())).toList());
    }
}

package io.crossjobs.jobapi.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import io.crossjobs.events.TaskSpec;
import io.crossjobs.jobapi.model.Job;
import io.crossjobs.jobapi.model.JobArrayView;
import io.crossjobs.jobapi.model.JobHoldView;
import io.crossjobs.jobapi.model.JobView;
import io.crossjobs.jobapi.model.ResourcesView;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.List;

/** Stores the task as JSON in the jobs row and builds the client's view of a row. */
@ApplicationScoped
public class JobViews {
    private final ObjectMapper mapper;
    private final ObjectReader taskReader;
    private final ObjectReader tasksReader;

    public JobViews(ObjectMapper mapper) {
        this.mapper = mapper;
        // rows written by an older or newer version may carry fields this one does not know
        this.taskReader = mapper.readerFor(TaskSpec.class).without(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
        this.tasksReader = taskReader.forType(TaskSpec[].class);
    }

    public String taskJson(TaskSpec task) {
        try {
            return mapper.writeValueAsString(task);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot encode the task of job " + task.name(), e);
        }
    }

    /** {@code taskJson}: the first task's, when the caller encoded it already (a one-task job's list is just it). */
    public String tasksJson(List<TaskSpec> tasks, String taskJson) {
        return tasks.size() == 1 ? "[" + taskJson + "]" : tasksJson(tasks);
    }

    private String tasksJson(List<TaskSpec> tasks) {
        try {
            return mapper.writeValueAsString(tasks);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot encode the tasks of job " + tasks.get(0).name(), e);
        }
    }

    public TaskSpec task(Job job) {
        try {
            return taskReader.readValue(job.taskJson);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("job=" + job.id + " has an unreadable task", e);
        }
    }

    /** The job's pipeline in order (one task for a plain job, and for rows from before pipelines). */
    public List<TaskSpec> tasks(Job job) {
        try {
            return tasks(job.tasksJson, job.taskJson);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("job=" + job.id + " has unreadable tasks", e);
        }
    }

    /**
     * A pipeline from its stored columns: {@code tasks_json}, else (rows from before pipelines) the one
     * {@code task_json}; none when both are null.
     */
    public List<TaskSpec> tasks(String tasksJson, String taskJson) throws JsonProcessingException {
        if (tasksJson != null) return List.of(tasksReader.<TaskSpec[]>readValue(tasksJson));
        return taskJson == null ? List.of() : List.of(taskReader.<TaskSpec>readValue(taskJson));
    }

    public JobView view(Job job) {
        return view(job, task(job));
    }

    /** The view of a row whose (first) task is at hand, as when it was just stored: no need to read it back. */
    public JobView view(Job job, TaskSpec task) {
        return new JobView(job.publicId(), job.name, job.owner, job.status,
                job.cloud, job.region, job.zone, job.instanceType, job.spot, job.pricePerHour,
                job.submittedAt, job.startedAt, job.endedAt, job.statusChangedAt,
                job.attempt, job.recoveryCount, job.failureReason, job.exitCode,
                job.cancelRequestedAt, task.numNodes(), ResourcesView.of(task.resources()),
                job.taskCount, TaskSecrets.redacted(task.secrets()), job.restartCount, job.costSoFar, job.taskIndex,
                seconds(job.submittedAt, job.endedAt), seconds(job.startedAt, job.endedAt), JobArrayView.of(job),
                JobHoldView.of(job, java.time.Instant.now()));
    }

    private static Long seconds(java.time.Instant from, java.time.Instant to) {
        if (from == null) return null;
        return java.time.Duration.between(from, to == null ? java.time.Instant.now() : to).toSeconds();
    }
}

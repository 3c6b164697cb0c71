package io.crossjobs.jobapi.service;

import io.crossjobs.events.FailureReason;
import io.crossjobs.events.JobStatus;
import io.crossjobs.events.TaskSpec;
import io.crossjobs.jobapi.model.Job;
import io.crossjobs.jobapi.model.JobHistoryEntry;
import io.crossjobs.jobapi.model.TaskPlacementView;
import io.crossjobs.jobapi.model.TaskView;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * A pipeline's tasks from its status history, without I/O. Each change names the task it concerns ({@code
 * task_index}) and carries its attempt's placement; the controller runs the tasks in order, each on its own
 * attempts, and moves on to the next task only when the current one's run exited 0. So a task whose successor
 * has a change ended SUCCEEDED (exit code 0) at that change; the task of the job's terminal change ended with it; a
 * task the job never reached is PENDING while the job goes on and CANCELLED (not run) once it has ended.
 */
public final class PipelineTasks {

    /** The job's tasks in order; {@code history} oldest first; {@code now} for the duration of a running task. */
    public static List<TaskView> of(Job job, List<TaskSpec> tasks, List<JobHistoryEntry> history, Instant now) {
        List<Task> out = new ArrayList<>();
        for (int i = 0; i < tasks.size(); i++) out.add(new Task(i, tasks.get(i)));
        if (history.stream().anyMatch(e -> e.taskIndex == null)) {
            String why = "job-api recorded this job's history before it kept each change's task";
            return out.stream().map(t -> t.unknown(why)).toList();
        }
        for (JobHistoryEntry e : history) {
            if (e.taskIndex < 0 || e.taskIndex >= out.size()) continue;
            for (Task earlier : out.subList(0, e.taskIndex)) earlier.succeededAt(e);
            out.get(e.taskIndex).apply(e);
        }
        boolean ended = job.status != null && job.status.isTerminal();
        Task last = out.stream().filter(t -> t.reached).reduce((a, b) -> b).orElse(null);
        for (Task t : out) {
            if (!t.reached && ended) {
                t.notRun(last == null ? "not run: the job ended " + job.status + " before it"
                        : "not run: the job ended " + job.status + " at task " + (last.index + 1));
            }
        }
        return out.stream().map(t -> t.view(now)).toList();
    }

    /** One task's state while the history is read. */
    private static final class Task {
        final int index;
        final TaskSpec spec;
        boolean reached;
        JobStatus status = JobStatus.PENDING;
        String reason;
        FailureReason failureReason;
        Integer exitCode;
        TaskPlacementView placement;
        final Set<Integer> attempts = new TreeSet<>();
        Instant startedAt;
        Instant endedAt;

        Task(int index, TaskSpec spec) {
            this.index = index;
            this.spec = spec;
        }

        void apply(JobHistoryEntry e) {
            reached = true;
            status = e.toStatus;
            reason = e.reason;
            if (e.failureReason != null) failureReason = e.failureReason;
            if (e.exitCode != null) exitCode = e.exitCode;
            TaskPlacementView placed = TaskPlacementView.of(e);
            if (placed != null) placement = placed;
            if (e.attempt > 0) attempts.add(e.attempt);
            if (e.toStatus == JobStatus.RUNNING && startedAt == null) startedAt = e.at;
            if (e.toStatus.isTerminal()) endedAt = e.at;
        }

        /** A later task has a change: the pipeline moved on, which it does only after this task's run exited 0. */
        void succeededAt(JobHistoryEntry e) {
            if (status == JobStatus.SUCCEEDED || !reached) return;
            status = JobStatus.SUCCEEDED;
            reason = "run exited with code 0; the pipeline went on to task " + (e.taskIndex + 1);
            exitCode = 0;
            endedAt = e.at;
        }

        void notRun(String why) {
            status = JobStatus.CANCELLED;
            reason = why;
        }

        TaskView unknown(String why) {
            return new TaskView(index, spec.name(), null, why, null, null, null, List.of(), spec.numNodes(),
                    null, null, null);
        }

        TaskView view(Instant now) {
            Long seconds = startedAt == null ? null
                    : Duration.between(startedAt, endedAt == null ? now : endedAt).toSeconds();
            return new TaskView(index, spec.name(), status, reason, failureReason, exitCode, placement,
                    List.copyOf(attempts), spec.numNodes(), startedAt, endedAt, seconds);
        }
    }

    private PipelineTasks() { }
}

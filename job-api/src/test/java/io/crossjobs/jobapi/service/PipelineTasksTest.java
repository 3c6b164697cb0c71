package io.crossjobs.jobapi.service;

import io.crossjobs.events.FailureReason;
import io.crossjobs.events.JobStatus;
import io.crossjobs.events.Resources;
import io.crossjobs.events.TaskSpec;
import io.crossjobs.jobapi.model.Job;
import io.crossjobs.jobapi.model.JobHistoryEntry;
import io.crossjobs.jobapi.model.TaskView;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A pipeline's tasks read from its status history: the cases the REST test does not walk through. */
class PipelineTasksTest {
    private static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");
    private static final List<TaskSpec> THREE = List.of(task("prep"), task("train"), task("eval"));

    private final List<JobHistoryEntry> history = new ArrayList<>();

    @Test
    void aFailedTaskEndsThePipelineAndTheTasksAfterItAreNotRun() {
        change(JobStatus.PENDING, JobStatus.RUNNING, e -> { e.taskIndex = 0; e.attempt = 1; e.cloud = "aws"; e.at = at(10); });
        change(JobStatus.RUNNING, JobStatus.STARTING, e -> { e.taskIndex = 1; e.attempt = 2; e.cloud = "gcp"; e.at = at(40);
            e.reason = "task 1 of 3 succeeded; task 2 of 3: cheapest"; });
        change(JobStatus.STARTING, JobStatus.RUNNING, e -> { e.taskIndex = 1; e.attempt = 2; e.cloud = "gcp"; e.at = at(50); });
        change(JobStatus.RUNNING, JobStatus.FAILED, e -> { e.taskIndex = 1; e.attempt = 2; e.at = at(70); e.exitCode = 3;
            e.failureReason = FailureReason.USER_CODE_FAILED; e.reason = "task 2 of 3: run exited with code 3"; });

        List<TaskView> tasks = PipelineTasks.of(job(JobStatus.FAILED), THREE, history, at(100));

        assertEquals(List.of(JobStatus.SUCCEEDED, JobStatus.FAILED, JobStatus.CANCELLED),
                tasks.stream().map(TaskView::status).toList());
        assertEquals(at(40), tasks.get(0).endedAt(), "the first task ended when the pipeline moved on");
        assertEquals("run exited with code 0; the pipeline went on to task 2", tasks.get(0).reason());
        assertEquals(30L, tasks.get(0).durationSeconds());
        assertEquals(3, tasks.get(1).exitCode());
        assertEquals(FailureReason.USER_CODE_FAILED, tasks.get(1).failureReason());
        assertEquals("gcp", tasks.get(1).placement().cloud(), "the task's placement, not the job's last");
        assertEquals(20L, tasks.get(1).durationSeconds());
        assertEquals("not run: the job ended FAILED at task 2", tasks.get(2).reason());
        assertNull(tasks.get(2).placement());
        assertNull(tasks.get(2).startedAt());
        assertEquals(List.of(), tasks.get(2).attempts());
    }

    @Test
    void aRecoveredTaskKeepsAllItsAttemptsAndItsLatestPlacementWhileTheRestWait() {
        change(JobStatus.STARTING, JobStatus.RUNNING, e -> { e.taskIndex = 0; e.attempt = 1; e.cloud = "aws"; e.zone = "a"; e.at = at(10); });
        change(JobStatus.RUNNING, JobStatus.RECOVERING, e -> { e.taskIndex = 0; e.attempt = 1; e.at = at(20); });
        change(JobStatus.RECOVERING, JobStatus.STARTING, e -> { e.taskIndex = 0; e.attempt = 2; e.cloud = "aws"; e.zone = "b"; e.at = at(25); });
        change(JobStatus.STARTING, JobStatus.RUNNING, e -> { e.taskIndex = 0; e.attempt = 2; e.cloud = "aws"; e.zone = "b"; e.at = at(30); });

        List<TaskView> tasks = PipelineTasks.of(job(JobStatus.RUNNING), THREE, history, at(45));

        assertEquals(List.of(JobStatus.RUNNING, JobStatus.PENDING, JobStatus.PENDING),
                tasks.stream().map(TaskView::status).toList());
        assertEquals(List.of(1, 2), tasks.get(0).attempts());
        assertEquals("b", tasks.get(0).placement().zone());
        assertEquals(at(10), tasks.get(0).startedAt(), "from its first RUNNING, recovery time included");
        assertEquals(35L, tasks.get(0).durationSeconds(), "to now while it runs");
        assertNull(tasks.get(1).reason());
    }

    @Test
    void aJobCancelledBeforeItsFirstLaunchRunsNoTask() {
        change(null, JobStatus.PENDING, e -> { e.taskIndex = 0; e.at = at(0); });
        change(JobStatus.PENDING, JobStatus.CANCELLED, e -> { e.taskIndex = 0; e.at = at(5); e.reason = "cancelled by admin"; });

        List<TaskView> tasks = PipelineTasks.of(job(JobStatus.CANCELLED), THREE, history, at(9));

        assertEquals(List.of(JobStatus.CANCELLED, JobStatus.CANCELLED, JobStatus.CANCELLED),
                tasks.stream().map(TaskView::status).toList());
        assertEquals("cancelled by admin", tasks.get(0).reason());
        assertEquals(at(5), tasks.get(0).endedAt());
        assertNull(tasks.get(0).durationSeconds(), "it never ran");
        assertEquals("not run: the job ended CANCELLED at task 1", tasks.get(1).reason());
    }

    @Test
    void aHistoryRecordedWithoutTasksSaysSoInsteadOfGuessing() {
        change(JobStatus.PENDING, JobStatus.RUNNING, e -> { e.taskIndex = null; e.attempt = 1; e.at = at(10); });

        List<TaskView> tasks = PipelineTasks.of(job(JobStatus.RUNNING), THREE, history, at(20));

        assertEquals(3, tasks.size());
        for (TaskView t : tasks) {
            assertNull(t.status());
            assertTrue(t.reason().contains("before it kept each change's task"), t.reason());
        }
        assertEquals(List.of("prep", "train", "eval"), tasks.stream().map(TaskView::name).toList());
    }

    private void change(JobStatus from, JobStatus to, Consumer<JobHistoryEntry> fields) {
        JobHistoryEntry e = new JobHistoryEntry();
        e.fromStatus = from;
        e.toStatus = to;
        fields.accept(e);
        history.add(e);
    }

    private static Job job(JobStatus status) {
        Job job = new Job();
        job.id = 7L;
        job.status = status;
        return job;
    }

    private static TaskSpec task(String name) {
        return new TaskSpec(name, Resources.builder().build(), 1, null, null, null, "echo " + name);
    }

    private static Instant at(int second) {
        return T0.plusSeconds(second);
    }
}

package io.crossjobs.jobapi.model;

import io.crossjobs.events.FailureReason;
import io.crossjobs.events.JobStatus;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;

/** One managed job: what was submitted, and the read model of what the controller reported since. */
@Entity
@Table(name = "jobs")
public class Job {

    /** From {@code job_id_seq}, taken before the insert so that the default name can use it. */
    @Id
    public Long id;

    public String name;

    public String owner;

    @Enumerated(EnumType.STRING)
    public JobStatus status;

    /** The accepted {@link io.crossjobs.events.TaskSpec} as JSON. */
    @Column(name = "task_json")
    public String taskJson;

    /** Every task of the pipeline, in order, as a JSON list of TaskSpec (secrets sealed). */
    @Column(name = "tasks_json")
    public String tasksJson;

    @Column(name = "task_count")
    public int taskCount = 1;

    @Column(name = "idempotency_key")
    public String idempotencyKey;

    @Column(name = "submitted_at")
    public Instant submittedAt;

    @Column(name = "status_changed_at")
    public Instant statusChangedAt;

    @Column(name = "started_at")
    public Instant startedAt;

    @Column(name = "ended_at")
    public Instant endedAt;

    public String cloud;

    public String region;

    public String zone;

    @Column(name = "instance_type")
    public String instanceType;

    public Boolean spot;

    @Column(name = "price_per_hour")
    public Double pricePerHour;

    public int attempt;

    @Column(name = "recovery_count")
    public int recoveryCount;

    @Enumerated(EnumType.STRING)
    @Column(name = "failure_reason")
    public FailureReason failureReason;

    @Column(name = "exit_code")
    public Integer exitCode;

    @Column(name = "restart_count")
    public int restartCount;

    @Column(name = "cost_so_far")
    public Double costSoFar;

    /** The pipeline task (0-based) the latest status concerns. */
    @Column(name = "task_index")
    public int taskIndex;

    @Column(name = "cancel_requested_at")
    public Instant cancelRequestedAt;

    /** The id of the rank-0 job of the array this job was submitted in; null for a job submitted alone. */
    @Column(name = "array_id")
    public Long arrayId;

    @Column(name = "array_rank")
    public Integer arrayRank;

    @Column(name = "array_size")
    public Integer arraySize;

    /** A failed job's cluster kept for debugging: until when, which, on which instances (comma-separated). */
    @Column(name = "hold_until")
    public Instant holdUntil;

    @Column(name = "hold_cluster")
    public String holdCluster;

    @Column(name = "hold_instance_ids")
    public String holdInstanceIds;

    /** When its owner ended the hold early. */
    @Column(name = "hold_released_at")
    public Instant holdReleasedAt;

    /** What the job counts against its owner's quotas while live (QuotaDemand), written at submission. */
    @Column(name = "quota_nodes")
    public int quotaNodes = 1;

    @Column(name = "quota_vcpus")
    public double quotaVcpus;

    @Column(name = "quota_accelerators")
    public int quotaAccelerators;

    @Column(name = "quota_usd_per_hour")
    public double quotaUsdPerHour;

    /** When a chunk of output would have taken the job's stored output over its cap; nothing is stored since. */
    @Column(name = "log_capped_at")
    public Instant logCappedAt;

    public String publicId() {
        return String.valueOf(id);
    }
}

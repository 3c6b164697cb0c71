package io.crossjobs.jobapi.model;

import io.crossjobs.events.FailureReason;
import io.crossjobs.events.JobStatus;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;

/** One status change of a job, as the controller reported it. */
@Entity
@Table(name = "job_events")
public class JobHistoryEntry {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(name = "job_id")
    public Long jobId;

    /** The CloudEvents id of the JobStatusChanged this row came from. */
    @Column(name = "event_id")
    public String eventId;

    @Enumerated(EnumType.STRING)
    @Column(name = "from_status")
    public JobStatus fromStatus;

    @Enumerated(EnumType.STRING)
    @Column(name = "to_status")
    public JobStatus toStatus;

    public String reason;

    @Enumerated(EnumType.STRING)
    @Column(name = "failure_reason")
    public FailureReason failureReason;

    @Column(name = "exit_code")
    public Integer exitCode;

    public int attempt;

    public Instant at;

    /** The pipeline task (0-based) the change concerns; null on rows recorded before it was kept. */
    @Column(name = "task_index")
    public Integer taskIndex;

    /** The placement the change carried (the attempt's); all null when it carried none. */
    public String cloud;

    public String region;

    public String zone;

    @Column(name = "instance_type")
    public String instanceType;

    public Boolean spot;

    @Column(name = "price_per_hour")
    public Double pricePerHour;
}

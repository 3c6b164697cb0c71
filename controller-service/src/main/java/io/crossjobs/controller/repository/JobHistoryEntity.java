package io.crossjobs.controller.repository;

import io.crossjobs.events.JobStatus;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;

/** One status change of a job; {@code fromStatus} is null for the creation as PENDING. */
@Entity
@Table(name = "job_history")
public class JobHistoryEntity {
    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;
    public String jobId;
    @Enumerated(EnumType.STRING)
    public JobStatus fromStatus;
    @Enumerated(EnumType.STRING)
    public JobStatus toStatus;
    public int attempt;
    public String reason;
    public Instant at;
}

package io.crossjobs.controller.repository;

import io.crossjobs.events.FailureReason;
import io.crossjobs.events.JobStatus;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;

/** The managed_job row, as the ORM reads it; the lifecycle writes it through {@link LifecycleStore}. */
@Entity
@Table(name = "managed_job")
public class ManagedJobEntity {
    @Id
    public String id;
    public String name;
    public String owner;
    public String taskSpec;
    public String tasks;
    public int taskIndex;
    public int priority;
    @Enumerated(EnumType.STRING)
    public JobStatus status;
    public int attempt;
    public String clusterName;
    public String taskId;
    public String cloud;
    public String region;
    public String zone;
    public String instanceType;
    public Boolean spot;
    public Double pricePerHour;
    public String blocklist;
    public int recoveryCount;
    public int restartCount;
    public int failedLaunches;
    @Enumerated(EnumType.STRING)
    public FailureReason failureReason;
    public Integer exitCode;
    public String statusReason;
    public Instant submittedAt;
    public Instant createdAt;
    public Instant updatedAt;
    public Instant startedAt;
    public Instant endedAt;
    public Instant nextAttemptAt;
    public Instant launchStartedAt;
    public double costUsd;
    public Instant billedSince;
}

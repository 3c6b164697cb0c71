package io.crossjobs.jobapi.cost;

import io.crossjobs.events.JobStatus;

import java.time.Duration;
import java.time.Instant;

/**
 * The columns of one {@code jobs} row the cost report needs. {@code costSoFar} is the job's accrued cost (USD) as
 * the controller reported it with the job's last status change, at {@code statusChangedAt}; the placement columns
 * are the current (or last) attempt's. {@code startedAt} (null until it first ran), {@code taskIndex},
 * {@code recoveryCount} and {@code restartCount} say how many times its nodes came up, which the egress of staging
 * is counted by ({@link StagingEgress}). The record's parameter names are the entity's field names: Panache's
 * {@code project} selects exactly these.
 */
public record JobCostRow(Long id, String name, String owner, JobStatus status, String cloud, String region,
                         String instanceType, Boolean spot, Double pricePerHour, Double costSoFar,
                         Instant statusChangedAt, Instant startedAt, int taskIndex, int recoveryCount,
                         int restartCount) {

    /**
     * What the job has cost up to {@code now}: its accrued cost at the last status change, plus, while it is
     * RUNNING, its placement's price for the time since.
     * <p>
     * This is the controller's {@code ManagedJob.costSoFar(now)} = {@code costUsd + price × (now − billedSince)}
     * while billed: the controller bills a job exactly while it is RUNNING ({@code billedSince} is set when it starts
     * running and folded into {@code costUsd} when it stops), and each status change carries
     * {@code costSoFar(at)} = {@code costUsd + price × (at − billedSince)} with {@code at} = this row's
     * {@code status_changed_at} and the RUNNING attempt's placement (whose price is this row's). So
     * {@code cost_so_far + price × (now − status_changed_at)} = {@code costUsd + price × (now − billedSince)}, also
     * when a RUNNING job reports another change without leaving RUNNING (the event's figure is rounded to the
     * micro-dollar, as the report is). Outside RUNNING nothing is billed, and
     * {@code cost_so_far} is already the final figure. A clock behind the event's time adds nothing (as the
     * controller's {@code now.isBefore(billedSince)} guard).
     */
    public double costAt(Instant now) {
        double accrued = costSoFar == null ? 0 : costSoFar;
        if (status != JobStatus.RUNNING || pricePerHour == null || statusChangedAt == null
                || now.isBefore(statusChangedAt)) {
            return accrued;
        }
        return accrued + pricePerHour * Duration.between(statusChangedAt, now).toMillis() / 3_600_000d;
    }

    /** Not finished: it may still run, so the controller has work. */
    public boolean live() {
        return status != null && !status.isTerminal();
    }

    public String publicId() {
        return String.valueOf(id);
    }
}

package io.crossjobs.controller.service;

import io.crossjobs.controller.model.Decision;
import io.crossjobs.controller.model.ManagedJob;
import io.crossjobs.controller.model.OutputHold;
import io.crossjobs.controller.model.OutputHoldChange;
import io.crossjobs.events.ClusterPreempted;
import io.crossjobs.events.ClusterProgress;
import io.crossjobs.events.ClusterState;
import io.crossjobs.events.JobEvent;
import io.crossjobs.events.JobExited;
import io.crossjobs.events.LaunchFailed;
import io.crossjobs.events.OutputStored;
import io.crossjobs.events.TerminateCluster;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * A job's terminal status is made visible only once its output is stored, so that whoever sees SUCCEEDED (on
 * job-status, over REST, SSE or a webhook) and then reads the logs finds all of them. The output travels apart from
 * the exit (job-logs to job-api, which confirms it with {@link OutputStored}), so an exit that would end the job and
 * announces its output is held — its cluster is terminated at once, only the status waits — until the attempt's
 * OutputStored arrives (in either order), or for at most {@code patience}: then the job ends with its exit's outcome
 * and the reason says its output may be incomplete. Exits that do not end the job (a restart, a pipeline's next task)
 * and jobs that end without an exit (cancelled, lost, out of resources) are not held. While an exit is held, news of
 * its cluster going (terminated, preempted, a late launch failure) changes nothing: the run is over.
 *
 * <p>Pure, like {@link Decider}, whose outcomes it holds: no database, no Kafka, the time from a {@link Clock}.
 */
public final class OutputWait {
    private final Decider decider;
    private final Duration patience;
    private final Clock clock;

    public OutputWait(Decider decider, Duration patience, Clock clock) {
        if (patience.isNegative()) throw new IllegalArgumentException("the output wait must not be negative: " + patience);
        this.decider = decider;
        this.patience = patience;
        this.clock = clock;
    }

    public Duration patience() { return patience; }

    public Decision onJobExited(ManagedJob job, JobExited event, OutputHold hold) {
        Decision outcome = decider.onJobExited(job, event);
        if (!endsJob(outcome) || !event.announcesOutput()) return outcome;
        if (hold.exitHeld()) {
            return Decision.ignore("the exit of attempt " + job.attempt() + " is held already, waiting for its output");
        }
        if (hold.outputStored()) return outcome.withOutputHold(new OutputHoldChange.End(job.attempt()));
        Instant now = clock.instant();
        OutputHold.HeldExit held = new OutputHold.HeldExit(event.phase(), event.exitCode(), now, now.plus(patience));
        return Decision.of(List.of(), outcome.commands())
                .withOutputHold(new OutputHoldChange.HoldExit(job.attempt(), held));
    }

    public Decision onOutputStored(ManagedJob job, OutputStored event, OutputHold hold) {
        if (job.status().isTerminal()) return Decision.ignore("job is already " + job.status());
        if (event.attempt() != job.attempt()) {
            return Decision.ignore("output of attempt " + event.attempt() + ", job is on attempt " + job.attempt());
        }
        if (hold.exitHeld()) return release(job, hold, "");
        if (hold.outputStored()) return Decision.ignore("output of attempt " + job.attempt() + " noted already");
        return Decision.of(List.of(), List.of())
                .withOutputHold(new OutputHoldChange.NoteStored(job.attempt(), clock.instant()));
    }

    /**
     * A held exit's wait is over without its output confirmed stored: the job ends as its exit says, and says that
     * its output may be incomplete. A hold that no longer concerns the job's attempt is dropped.
     */
    public Decision onWaitOver(ManagedJob job, OutputHold hold) {
        if (!hold.exitHeld() || hold.attempt() != job.attempt() || job.status().isTerminal()) {
            return Decision.ignore("no exit of attempt " + job.attempt() + " is held")
                    .withOutputHold(new OutputHoldChange.End(hold.attempt()));
        }
        if (clock.instant().isBefore(hold.exit().releaseBy())) return Decision.ignore("the output wait is not over");
        return release(job, hold, "; its output was not confirmed stored within " + patience.toSeconds()
                + "s, so it may be incomplete");
    }

    public Decision onClusterProgress(ManagedJob job, ClusterProgress event, OutputHold hold) {
        if (event.state() != ClusterState.RUNNING && heldFor(job, event.attempt(), hold)) {
            return Decision.ignore("cluster is " + event.state() + ", its run exited and waits for its output");
        }
        return decider.onClusterProgress(job, event);
    }

    public Decision onClusterPreempted(ManagedJob job, ClusterPreempted event, OutputHold hold) {
        if (heldFor(job, event.attempt(), hold)) {
            return Decision.ignore("cluster preempted, its run exited and waits for its output");
        }
        return decider.onClusterPreempted(job, event);
    }

    public Decision onLaunchFailed(ManagedJob job, LaunchFailed event, OutputHold hold) {
        if (heldFor(job, event.attempt(), hold)) {
            return Decision.ignore("launch failure reported after its run exited; the exit waits for its output");
        }
        return decider.onLaunchFailed(job, event);
    }

    /**
     * The held exit's outcome, as of the exit (or of the job's last change, if later: a cancel asked meanwhile), so
     * the wait is neither billed nor counted in the job's duration. Its cluster was terminated when it was held.
     */
    private Decision release(ManagedJob job, OutputHold hold, String note) {
        OutputHold.HeldExit exit = hold.exit();
        Instant at = exit.exitedAt().isAfter(job.updatedAt()) ? exit.exitedAt() : job.updatedAt();
        Decision outcome = decider.onExit(job, exit.phase(), exit.exitCode(), note, at);
        List<JobEvent> commands = outcome.commands().stream()
                .filter(c -> !(c instanceof TerminateCluster t && t.attempt() == hold.attempt())).toList();
        return new Decision(outcome.transitions(), commands, outcome.ignoredBecause(),
                new OutputHoldChange.End(hold.attempt()), outcome.holdRelease());
    }

    private static boolean heldFor(ManagedJob job, int attempt, OutputHold hold) {
        return hold.exitHeld() && hold.attempt() == attempt && attempt == job.attempt();
    }

    private static boolean endsJob(Decision outcome) {
        List<io.crossjobs.controller.model.Transition> moves = outcome.transitions();
        return !moves.isEmpty() && moves.get(moves.size() - 1).to().isTerminal();
    }
}

package io.crossjobs.controller.model;

import io.crossjobs.events.JobEvent;

import java.util.List;

/**
 * What one event does to one job: transitions to apply in order, then commands to send (LaunchCluster,
 * TerminateCluster), what it does to the job's output hold ({@code outputHold}, null: nothing) and whether a failed
 * job's debug hold ends ({@code holdRelease}, null: no). An empty decision carries the reason it changes nothing, for
 * the debug log.
 */
public record Decision(List<Transition> transitions, List<JobEvent> commands, String ignoredBecause,
                       OutputHoldChange outputHold, HoldRelease holdRelease) {

    public Decision {
        transitions = List.copyOf(transitions);
        commands = List.copyOf(commands);
    }

    public static Decision of(List<Transition> transitions, List<JobEvent> commands) {
        return new Decision(transitions, commands, null, null, null);
    }

    /** A failed job's debug hold ends with {@code commands} (its cluster's terminate). */
    public static Decision releaseHold(HoldRelease release, List<JobEvent> commands) {
        return new Decision(List.of(), commands, null, null, release);
    }

    public static Decision ignore(String because) {
        return new Decision(List.of(), List.of(), because, null, null);
    }

    /** This decision, also changing the job's output hold. */
    public Decision withOutputHold(OutputHoldChange change) {
        return new Decision(transitions, commands, ignoredBecause, change, holdRelease);
    }

    public boolean isEmpty() {
        return transitions.isEmpty() && commands.isEmpty() && outputHold == null && holdRelease == null;
    }

    /** The job as it is after every transition; {@code current} when nothing changes. */
    public ManagedJob resultingJob(ManagedJob current) {
        if (holdRelease != null) return holdRelease.after();
        return transitions.isEmpty() ? current : transitions.get(transitions.size() - 1).after();
    }
}

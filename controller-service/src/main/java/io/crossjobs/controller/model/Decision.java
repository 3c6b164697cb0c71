package io.crossjobs.controller.model;

import io.crossjobs.events.JobEvent;

import java.util.List;

/**
 * What one event does to one job: transitions to apply in order, then commands to send (LaunchCluster,
 * TerminateCluster), and what it does to the job's output hold ({@code outputHold}, null: nothing). An empty
 * decision carries the reason it changes nothing, for the debug log.
 */
public record Decision(List<Transition> transitions, List<JobEvent> commands, String ignoredBecause,
                       OutputHoldChange outputHold) {

    public Decision {
        transitions = List.copyOf(transitions);
        commands = List.copyOf(commands);
    }

    public static Decision of(List<Transition> transitions, List<JobEvent> commands) {
        return new Decision(transitions, commands, null, null);
    }

    public static Decision ignore(String because) {
        return new Decision(List.of(), List.of(), because, null);
    }

    /** This decision, also changing the job's output hold. */
    public Decision withOutputHold(OutputHoldChange change) {
        return new Decision(transitions, commands, ignoredBecause, change);
    }

    public boolean isEmpty() { return transitions.isEmpty() && commands.isEmpty() && outputHold == null; }

    /** The job as it is after every transition; {@code current} when nothing changes. */
    public ManagedJob resultingJob(ManagedJob current) {
        return transitions.isEmpty() ? current : transitions.get(transitions.size() - 1).after();
    }
}

package io.crossjobs.jobapi.controller;

import io.crossjobs.catalog.Optimizer;
import io.crossjobs.catalog.PlacementPlan;
import io.crossjobs.events.Placement;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * What the keeper does next with the controller's VMs, from what it knows and the time; no I/O. In order:
 * <ol>
 *   <li>a VM that stopped serving (no heartbeat), never came up, or was never reported running is stopped as lost;</li>
 *   <li>during a migration: launch at the target, then, once a VM there serves, stop the others and move the
 *       placement; a launch at the target that fails ends the migration and the controller stays;</li>
 *   <li>autostop: no live job for the period stops every VM, and a live job brings the controller back;</li>
 *   <li>otherwise keep {@code replicas} VMs at the placement: launch what is missing (after a backoff when the
 *       last launches failed), stop the newest beyond it.</li>
 * </ol>
 */
public final class ControllerKeeperPolicy {
    private static final Duration MAX_BACKOFF = Duration.ofMinutes(5);

    /** The knobs, named; each is documented on {@link io.crossjobs.jobapi.config.KeeperConfig}. */
    public record Limits(int replicas, Optional<Duration> autostop, Duration heartbeatTimeout, Duration bootTimeout,
                         Duration launchTimeout, Duration relaunchBackoff) { }

    private final Optimizer optimizer;
    private final Limits limits;

    public ControllerKeeperPolicy(Optimizer optimizer, Limits limits) {
        this.optimizer = optimizer;
        this.limits = limits;
    }

    public List<KeeperAction> decide(KeeperView view, Instant now) {
        List<KeeperAction> actions = new ArrayList<>();
        List<ControllerVm> serving = new ArrayList<>();
        for (ControllerVm vm : view.vms()) {
            if (!vm.state().active()) continue;
            Optional<String> lost = lostReason(vm, view.listeningSince(), now);
            if (lost.isPresent()) actions.add(new KeeperAction.Stop(vm.clusterName(), lost.get(), true));
            else serving.add(vm);
        }
        ControllerRecord c = view.controller();
        if (c.migrating()) {
            migrate(view, serving, now, actions);
            return actions;
        }
        if (limits.autostop().isPresent() && autostop(view, serving, now, actions)) return actions;
        keepReplicas(view, serving, now, actions);
        return actions;
    }

    /**
     * Why a VM counts as lost, if it does. Silence is counted from the last sign of life or from when this keeper
     * started listening, whichever is later: a job-api restart must not pass for a controller's silence.
     */
    private Optional<String> lostReason(ControllerVm vm, Instant listeningSince, Instant now) {
        return switch (vm.state()) {
            case SERVING -> silentSince(vm.lastHeartbeatAt(), listeningSince).plus(limits.heartbeatTimeout()).isBefore(now)
                    ? Optional.of("no heartbeat from its controller for " + seconds(vm.lastHeartbeatAt(), now)
                    + " s: the controller process is lost")
                    : Optional.empty();
            case BOOTING -> silentSince(vm.runningAt(), listeningSince).plus(limits.bootTimeout()).isBefore(now)
                    ? Optional.of("running for " + seconds(vm.runningAt(), now)
                    + " s but its controller never reported ready")
                    : Optional.empty();
            case LAUNCHING -> silentSince(vm.launchedAt(), listeningSince).plus(limits.launchTimeout()).isBefore(now)
                    ? Optional.of("the cloud did not report it running within " + limits.launchTimeout().toSeconds() + " s")
                    : Optional.empty();
            default -> Optional.empty();
        };
    }

    private static Instant silentSince(Instant lastSign, Instant listeningSince) {
        if (lastSign == null) return listeningSince;
        return listeningSince != null && listeningSince.isAfter(lastSign) ? listeningSince : lastSign;
    }

    private void migrate(KeeperView view, List<ControllerVm> live, Instant now, List<KeeperAction> actions) {
        ControllerRecord c = view.controller();
        List<ControllerVm> atTarget = live.stream().filter(vm -> vm.at(c.targetCloud(), c.targetRegion())).toList();
        Optional<ControllerVm> ready = atTarget.stream().filter(vm -> vm.state() == ControllerVmState.SERVING)
                .findFirst();
        if (ready.isPresent()) {
            List<String> old = live.stream().filter(vm -> !atTarget.contains(vm)).map(ControllerVm::clusterName).toList();
            old.forEach(name -> actions.add(new KeeperAction.Stop(name,
                    "migrated to " + c.target() + " (" + ready.get().clusterName() + " serves)", false)));
            actions.add(new KeeperAction.CompleteMigration(ready.get().clusterName(), old));
            return;
        }
        if (!atTarget.isEmpty()) return;   // on its way
        Optional<ControllerVm> failed = view.vms().stream()
                .filter(vm -> vm.at(c.targetCloud(), c.targetRegion()) && !vm.launchedAt().isBefore(c.targetSince())
                        && !vm.state().active())
                .findFirst();
        if (failed.isPresent()) {
            actions.add(new KeeperAction.AbortMigration("the new controller VM " + failed.get().clusterName()
                    + " on " + c.target() + " could not be had: " + failed.get().reason()
                    + "; the controller stays on " + c.placement()));
            return;
        }
        Optional<Placement> placement = place(c.targetCloud(), c.targetRegion(), c, actions);
        if (placement.isEmpty()) {
            actions.add(new KeeperAction.AbortMigration("nothing in the catalog fits the controller on " + c.target()
                    + "; the controller stays on " + c.placement()));
            return;
        }
        actions.add(new KeeperAction.Launch(placement.get(), "migration from " + c.placement() + " to " + c.target()));
    }

    /** Returns whether autostop holds the controller down (nothing else to decide). */
    private boolean autostop(KeeperView view, List<ControllerVm> live, Instant now, List<KeeperAction> actions) {
        ControllerRecord c = view.controller();
        Duration idleAfter = limits.autostop().orElseThrow();
        if (c.idleStoppedAt() != null) {
            if (view.liveJobs() == 0) return true;
            actions.add(new KeeperAction.IdleResume(view.liveJobs() + " live job(s): launching the controller again"));
            return false;
        }
        if (view.liveJobs() > 0 || live.isEmpty()) return false;
        Instant idleSince = view.lastJobActivity() == null ? c.since() : max(view.lastJobActivity(), c.since());
        if (idleSince.plus(idleAfter).isAfter(now)) return false;
        String reason = "autostop: no live job for " + seconds(idleSince, now) + " s (jobs.controller.autostop "
                + idleAfter.toSeconds() + " s); the next submission launches the controller again";
        actions.add(new KeeperAction.IdleStop(reason));
        live.forEach(vm -> actions.add(new KeeperAction.Stop(vm.clusterName(), reason, false)));
        return true;
    }

    private void keepReplicas(KeeperView view, List<ControllerVm> live, Instant now, List<KeeperAction> actions) {
        ControllerRecord c = view.controller();
        int desired = Math.max(1, limits.replicas());
        if (live.size() > desired) {
            live.stream().sorted(Comparator.comparingInt(ControllerVm::generation).reversed())
                    .limit(live.size() - desired)
                    .forEach(vm -> actions.add(new KeeperAction.Stop(vm.clusterName(),
                            "jobs.controller.replicas is " + desired + ": one VM fewer", false)));
            return;
        }
        if (live.size() == desired || !backoffOver(view, now)) return;
        Optional<Placement> placement = place(c.cloud(), c.region(), c, actions);
        if (placement.isEmpty()) return;
        actions.add(new KeeperAction.Launch(placement.get(), launchReason(view, live.size(), desired)));
    }

    private static String launchReason(KeeperView view, int live, int desired) {
        Optional<ControllerVm> last = view.vms().stream().filter(vm -> !vm.state().active()).findFirst();
        String replica = desired > 1 ? " (replica " + (live + 1) + " of " + desired + ")" : "";
        if (view.vms().isEmpty()) return "first start of the controller" + replica;
        return last.map(vm -> "replacing " + vm.clusterName() + " (" + vm.reason() + ")" + replica)
                .orElse("controller VM" + replica);
    }

    /** After launches that failed or VMs lost before they served, wait: 1×, 2×, 4× ... the backoff, at most 5 min. */
    private boolean backoffOver(KeeperView view, Instant now) {
        int failures = 0;
        Instant lastEnd = null;
        for (ControllerVm vm : view.vms()) {   // newest first, back to the last one that served
            if (vm.state().active() || vm.servingAt() != null) break;
            failures++;
            if (lastEnd == null) {
                lastEnd = vm.endedAt() != null ? vm.endedAt() : vm.stoppingAt() != null ? vm.stoppingAt() : vm.launchedAt();
            }
        }
        if (failures == 0 || lastEnd == null) return true;
        Duration wait = limits.relaunchBackoff().multipliedBy(1L << Math.min(failures - 1, 16));
        if (wait.compareTo(MAX_BACKOFF) > 0) wait = MAX_BACKOFF;
        return !lastEnd.plus(wait).isAfter(now);
    }

    /** The cheapest on-demand offer fitting the controller's size at cloud/region (region null: any of the cloud). */
    private Optional<Placement> place(String cloud, String region, ControllerRecord c, List<KeeperAction> actions) {
        PlacementPlan plan = ControllerOffers.plan(optimizer, cloud, region, c.cpus(), c.memory());
        if (plan.cheapest().isEmpty()) {
            actions.add(new KeeperAction.CannotPlace("no catalog offer fits the controller (" + c.cpus()
                    + " vCPUs, " + c.memory() + " GiB) on " + cloud + "/" + region + ": " + plan.reason()));
        }
        return plan.cheapest();
    }

    private static long seconds(Instant from, Instant to) {
        return Duration.between(from, to).toSeconds();
    }

    private static Instant max(Instant a, Instant b) {
        return a.isAfter(b) ? a : b;
    }
}

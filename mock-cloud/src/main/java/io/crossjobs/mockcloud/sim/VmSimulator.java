package io.crossjobs.mockcloud.sim;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;

import org.jboss.logging.Logger;

/**
 * Cloud-agnostic VM simulator behind every front end (EC2 Query, GCE REST, ARM REST). VMs move through
 * their states on wall-clock time, advanced by {@link #tick()}, which the application calls from a single
 * scheduler thread (tests call it by hand with a controllable clock). There is no thread per VM.
 *
 * <p>All VM state is guarded by one lock; process starts and kills happen outside it.
 */
public final class VmSimulator implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(VmSimulator.class);
    private static final int FIRST_IP = 4;            // 10.0.0.4: EC2 keeps .0-.3 of a subnet
    private static final int LAST_IP = 0xFF_FF_FE;    // 10.255.255.254

    private final SimulatorSettings settings;
    private final Clock clock;
    private final WorkloadRunner runner;
    private final FaultInjector faults;
    private final AliveListener aliveListener;
    private final LaunchAdmission admission;

    private final Object lock = new Object();
    private final Map<String, Vm> vms = new LinkedHashMap<>();            // launch order
    private final Map<String, PriorLaunch> launchesByKey = new HashMap<>();
    private long sequence;
    private int nextIp = FIRST_IP;
    private boolean closed;

    private record PriorLaunch(String groupId, List<String> ids, String fingerprint) { }

    public VmSimulator(SimulatorSettings settings, Clock clock, WorkloadRunner runner) {
        this(settings, clock, runner, AliveListener.NONE);
    }

    /** @param aliveListener told of every VM entering and leaving pending/running (the admin overlap record) */
    public VmSimulator(SimulatorSettings settings, Clock clock, WorkloadRunner runner, AliveListener aliveListener) {
        this(settings, clock, runner, aliveListener, LaunchAdmission.ALL);
    }

    /** @param admission asked under the simulator's lock whether each launch fits (the account's quotas) */
    public VmSimulator(SimulatorSettings settings, Clock clock, WorkloadRunner runner, AliveListener aliveListener,
                       LaunchAdmission admission) {
        this.admission = Objects.requireNonNull(admission);
        this.settings = Objects.requireNonNull(settings);
        this.clock = Objects.requireNonNull(clock);
        this.runner = Objects.requireNonNull(runner);
        this.faults = new FaultInjector(clock);
        this.aliveListener = Objects.requireNonNull(aliveListener);
    }

    public SimulatorSettings settings() {
        return settings;
    }

    public FaultInjector faults() {
        return faults;
    }

    public Clock clock() {
        return clock;
    }

    // ---------------------------------------------------------------- calls from the front ends

    /**
     * Creates {@code req.count()} VMs in state pending, or returns an earlier launch's VMs when the
     * idempotency key was seen before. An injected fault that matches fails the call before anything is made.
     *
     * @throws IdempotencyMismatchException the key was used with a different fingerprint
     * @throws SimulatedFault               an injected fault matched, or the launch does not fit the account's
     *                                      quotas (nothing is made then)
     */
    public LaunchResult launch(LaunchRequest req) {
        return launch(req, true);
    }

    /**
     * @param consultFaults false when the front end has already consumed the launch faults for this call
     *                      (so that one call never uses up two counts of a fault)
     */
    public LaunchResult launch(LaunchRequest req, boolean consultFaults) {
        String key = req.idempotencyKey() == null ? null
                : req.cloud().id() + "|" + req.region() + "|" + req.idempotencyKey();
        synchronized (lock) {
            ensureOpen();
            LaunchResult replay = replay(key, req);
            if (replay != null) return replay;
        }
        // outside the lock: an injected delay must slow this call only, not every other call of every cloud
        SimulatedFault fault = !consultFaults ? null : faults.consume(new FaultContext(req.cloud(), req.region(),
                req.zone(), req.instanceType(), req.action(), true));
        if (fault != null) throw fault;
        synchronized (lock) {
            ensureOpen();
            LaunchResult replay = replay(key, req);     // the same key may have launched while we were delayed
            if (replay != null) return replay;
            if (nextIp + req.count() > LAST_IP) throw new IllegalStateException("private IP addresses exhausted");
            // under the lock: two launches racing for the last vCPUs of a quota must not both fit
            admission.admit(req, aliveIn(req.cloud()));

            Instant now = clock.instant();
            String groupId = req.cloud().newGroupId();
            List<VmView> views = new ArrayList<>(req.count());
            List<String> ids = new ArrayList<>(req.count());
            for (int i = 0; i < req.count(); i++) {
                String id;
                do {
                    id = req.cloud().newInstanceId();
                } while (vms.containsKey(id));
                String name = req.names() == null ? null : req.names().get(i);
                Vm vm = new Vm(id, name, req, groupId, ++sequence, i, now, allocateIp(),
                        new ConsoleBuffer(settings.consoleMaxChars(), clock));
                vm.runAt = now.plus(settings.bootDelay());
                vms.put(id, vm);
                ids.add(id);
                views.add(vm.view());
                aliveListener.becameAlive(vm.view());
            }
            if (key != null) launchesByKey.put(key, new PriorLaunch(groupId, List.copyOf(ids), req.fingerprint()));
            LOG.infof("%s %s: launched %s (%s in %s%s)", req.cloud().id(), req.action(),
                    ids.size() <= 3 ? ids : ids.subList(0, 3) + " and " + (ids.size() - 3) + " more",
                    req.instanceType(), req.zone(), req.spot() ? ", spot" : "");
            return new LaunchResult(groupId, List.copyOf(views), false);
        }
    }

    private List<VmView> aliveIn(Cloud cloud) {
        List<VmView> alive = new ArrayList<>();
        for (Vm vm : vms.values()) {
            if (vm.cloud == cloud && vm.state.alive()) alive.add(vm.view());
        }
        return alive;
    }

    private LaunchResult replay(String key, LaunchRequest req) {
        if (key == null) return null;
        PriorLaunch prior = launchesByKey.get(key);
        if (prior == null) return null;
        if (!Objects.equals(prior.fingerprint(), req.fingerprint())) {
            throw new IdempotencyMismatchException(req.idempotencyKey());
        }
        List<VmView> views = prior.ids().stream().map(vms::get).filter(Objects::nonNull).map(Vm::view).toList();
        return new LaunchResult(prior.groupId(), views, true);
    }

    /** Consumes an injected fault for a non-launch call (sleeping for its delay first); returns its error or null. */
    public SimulatedFault fault(FaultContext ctx) {
        return faults.consume(ctx);
    }

    public Optional<VmView> get(String id) {
        synchronized (lock) {
            Vm vm = vms.get(id);
            return vm == null ? Optional.empty() : Optional.of(vm.view());
        }
    }

    /** Every known VM (including terminated ones not yet forgotten) that matches, in launch order. */
    public List<VmView> list(Predicate<VmView> filter) {
        List<VmView> all;
        synchronized (lock) {
            all = new ArrayList<>(vms.size());
            for (Vm vm : vms.values()) all.add(vm.view());
        }
        return all.stream().filter(filter).toList();
    }

    public List<VmView> list() {
        return list(v -> true);
    }

    /** The user data instance {@code id} was launched with, as the cloud received it (decoded). */
    public Optional<byte[]> userData(String id) {
        synchronized (lock) {
            Vm vm = vms.get(id);
            return vm == null ? Optional.empty() : Optional.of(vm.userData.clone());
        }
    }

    public Optional<ConsoleSnapshot> console(String id) {
        ConsoleBuffer console;
        synchronized (lock) {
            Vm vm = vms.get(id);
            if (vm == null) return Optional.empty();
            console = vm.console;
        }
        return Optional.of(new ConsoleSnapshot(console.text(), console.updatedAt(), console.posted(),
                console.postedAt()));
    }

    /**
     * Terminates the given VMs, all or none: pending or running ones go to shutting-down and their workloads
     * are killed; the others keep their state. Changes come back in the order of {@code ids}.
     *
     * @param visible only VMs it accepts count as known (a front end sees its own cloud and region)
     * @throws UnknownVmException when any id is unknown (nothing is changed then)
     */
    public List<StateChange> terminate(List<String> ids, Predicate<VmView> visible) {
        List<StateChange> changes = new ArrayList<>(ids.size());
        List<Workload> toKill = new ArrayList<>();
        Instant now = clock.instant();
        synchronized (lock) {
            ensureOpen();
            List<String> missing = new ArrayList<>();
            for (String id : ids) {
                Vm vm = vms.get(id);
                if ((vm == null || !visible.test(vm.view())) && !missing.contains(id)) missing.add(id);
            }
            if (!missing.isEmpty()) throw new UnknownVmException(missing);
            for (String id : ids) {
                Vm vm = vms.get(id);
                VmState previous = vm.state;
                beginShutdown(vm, StateReason.USER_TERMINATED, now, toKill);
                changes.add(new StateChange(id, previous, vm.state));
            }
        }
        killAll(toKill, now);
        return changes;
    }

    /**
     * Changes a VM's tags and front-end attributes atomically: each function gets the current map (read-only) and
     * returns the new one; it may throw to refuse the change (a stale fingerprint, a bad tag), leaving the VM as
     * it was. Works in any state, as clouds let you tag a stopped or terminated instance.
     *
     * @throws UnknownVmException unknown id
     */
    public VmView update(String id, UnaryOperator<Map<String, String>> tags,
                         UnaryOperator<Map<String, String>> attributes) {
        synchronized (lock) {
            ensureOpen();
            Vm vm = vms.get(id);
            if (vm == null) throw new UnknownVmException(List.of(id));
            Map<String, String> newTags = Collections.unmodifiableMap(new LinkedHashMap<>(tags.apply(vm.tags)));
            Map<String, String> newAttributes = Map.copyOf(attributes.apply(vm.attributes));
            vm.tags = newTags;
            vm.attributes = newAttributes;
            return vm.view();
        }
    }

    /**
     * Reclaims a VM the way a spot market does: now, or after {@code delay} (on the tick that follows).
     *
     * @throws UnknownVmException    unknown id
     * @throws IllegalStateException the VM is already shutting down or terminated
     */
    public VmView preempt(String id, Duration delay) {
        return preempt(id, delay, null);
    }

    /**
     * {@link #preempt(String, Duration)}, with the VM then shutting-down for {@code shuttingDownFor} (null: the
     * setting): a cloud's reclaim takes its time, and a test that must see the VM in that state can say how long.
     */
    public VmView preempt(String id, Duration delay, Duration shuttingDownFor) {
        List<Workload> toKill = new ArrayList<>();
        Instant now = clock.instant();
        VmView view;
        synchronized (lock) {
            ensureOpen();
            Vm vm = vms.get(id);
            if (vm == null) throw new UnknownVmException(List.of(id));
            if (!vm.state.alive()) {
                throw new IllegalStateException(id + " is " + vm.state.label() + ", not pending or running");
            }
            vm.shuttingDownFor = shuttingDownFor;
            if (delay == null || delay.isZero() || delay.isNegative()) {
                beginShutdown(vm, StateReason.SPOT_TERMINATION, now, toKill);
            } else {
                vm.preemptAt = now.plus(delay);
            }
            view = vm.view();
        }
        killAll(toKill, now);
        LOG.infof("%s: preempted%s", id, delay == null || delay.isZero() ? "" : " in " + delay);
        return view;
    }

    // ---------------------------------------------------------------- time

    /** Advances every VM to where the clock says it should be. Called periodically from one thread. */
    public void tick() {
        Instant now = clock.instant();
        List<Vm> toStart = new ArrayList<>();
        List<Workload> toKill = new ArrayList<>();
        List<Workload> toPoll = new ArrayList<>();
        List<Vm> gone = new ArrayList<>();
        synchronized (lock) {
            if (closed) return;
            for (Iterator<Vm> it = vms.values().iterator(); it.hasNext(); ) {
                Vm vm = it.next();
                switch (vm.state) {
                    case PENDING, RUNNING -> {
                        if (vm.preemptAt != null && !now.isBefore(vm.preemptAt)) {
                            beginShutdown(vm, StateReason.SPOT_TERMINATION, now, toKill);
                        } else if (vm.state == VmState.PENDING && !now.isBefore(vm.runAt)) {
                            vm.state = VmState.RUNNING;
                            vm.stateReason = null;
                            vm.stateChangedAt = now;
                            vm.console.post();
                            if (startsWithShebang(vm.userData)) toStart.add(vm);
                        }
                    }
                    case SHUTTING_DOWN -> {
                        if (!now.isBefore(vm.terminateAt)) {
                            vm.state = VmState.TERMINATED;
                            vm.stateChangedAt = now;
                            vm.console.post();
                        }
                    }
                    case TERMINATED -> {
                        if (!now.isBefore(vm.stateChangedAt.plus(settings.terminatedRetention()))) {
                            it.remove();
                            gone.add(vm);
                        }
                    }
                    default -> { }
                }
                if (vm.workload != null) toPoll.add(vm.workload);
            }
            if (!gone.isEmpty()) {
                launchesByKey.values().removeIf(l -> l.ids().stream().noneMatch(vms::containsKey));
            }
        }
        killAll(toKill, now);
        for (Workload w : toPoll) {
            try {
                w.poll(now);
            } catch (RuntimeException e) {
                LOG.warn("workload poll failed", e);
            }
        }
        for (Vm vm : toStart) startWorkload(vm, now);
        for (Vm vm : gone) {
            if (vm.workload != null && vm.workload.isAlive()) vm.workload.forceKill();
            runner.forget(vm.view());
        }
    }

    private void startWorkload(Vm vm, Instant now) {
        VmView view;
        synchronized (lock) {
            if (vm.state != VmState.RUNNING || closed) return;
            view = vm.view();
        }
        Workload w;
        try {
            w = runner.start(view, vm.userData, vm.console);
        } catch (Exception e) {
            LOG.warnf(e, "%s: cannot start user data", vm.id);
            vm.console.appendLine("[mock-cloud] cannot start user data: " + e);
            return;
        }
        boolean keep;
        synchronized (lock) {
            keep = vm.state == VmState.RUNNING && !closed;
            vm.workload = w;
        }
        if (!keep && w != null) w.kill(now); // terminated while starting; later ticks escalate to a hard kill
    }

    // ---------------------------------------------------------------- admin

    /** Kills every workload and forgets all VMs, idempotency keys and faults. */
    public void reset() {
        List<Workload> all = new ArrayList<>();
        List<VmView> views = new ArrayList<>();
        synchronized (lock) {
            for (Vm vm : vms.values()) {
                if (vm.workload != null) all.add(vm.workload);
                views.add(vm.view());
                if (vm.state.alive()) aliveListener.stoppedBeingAlive(vm.view());
            }
            vms.clear();
            launchesByKey.clear();
        }
        faults.clear();
        stopAll(all);
        views.forEach(runner::forget);
        LOG.info("reset: all VMs and faults forgotten");
    }

    /** Kills every workload (polite, then hard after the grace period) and stops accepting calls. */
    @Override
    public void close() {
        List<Workload> all = new ArrayList<>();
        synchronized (lock) {
            if (closed) return;
            closed = true;
            for (Vm vm : vms.values()) if (vm.workload != null) all.add(vm.workload);
        }
        stopAll(all);
        runner.close();
    }

    // ---------------------------------------------------------------- internals

    private void stopAll(List<Workload> all) {
        Instant now = clock.instant();
        for (Workload w : all) w.kill(now);
        long deadline = System.nanoTime() + settings.killGrace().toNanos();
        while (System.nanoTime() < deadline && all.stream().anyMatch(Workload::isAlive)) {
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        List<Workload> stubborn = all.stream().filter(Workload::isAlive).toList();
        stubborn.forEach(Workload::forceKill);
        // SIGKILL is asynchronous: give the kernel a moment so that callers see everything gone
        long killDeadline = System.nanoTime() + Duration.ofSeconds(2).toNanos();
        while (System.nanoTime() < killDeadline && stubborn.stream().anyMatch(Workload::isAlive)) {
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
    }

    private void beginShutdown(Vm vm, StateReason reason, Instant now, List<Workload> toKill) {
        if (!vm.state.alive()) return;
        vm.state = VmState.SHUTTING_DOWN;
        vm.stateReason = reason;
        vm.stateChangedAt = now;
        vm.console.post();
        vm.terminateAt = now.plus(vm.shuttingDownFor != null ? vm.shuttingDownFor : settings.shutdownDelay());
        vm.preemptAt = null;
        aliveListener.stoppedBeingAlive(vm.view());
        if (vm.workload != null) toKill.add(vm.workload);
        LOG.infof("%s: shutting down (%s)", vm.id, reason.code());
    }

    private static void killAll(Collection<Workload> workloads, Instant now) {
        for (Workload w : workloads) {
            try {
                w.kill(now);
            } catch (RuntimeException e) {
                LOG.warn("cannot kill workload", e);
            }
        }
    }

    private String allocateIp() {
        int n = nextIp++;
        while ((n & 0xFF) == 0 || (n & 0xFF) == 0xFF || (n & 0xFF) < FIRST_IP) n = nextIp++;
        return "10." + ((n >> 16) & 0xFF) + "." + ((n >> 8) & 0xFF) + "." + (n & 0xFF);
    }

    private void ensureOpen() {
        if (closed) throw new IllegalStateException("simulator is shut down");
    }

    static boolean startsWithShebang(byte[] userData) {
        return userData.length >= 2 && userData[0] == '#' && userData[1] == '!';
    }
}

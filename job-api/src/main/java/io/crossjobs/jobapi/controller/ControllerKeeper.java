package io.crossjobs.jobapi.controller;

import io.crossjobs.catalog.Optimizer;
import io.crossjobs.events.ClusterFound;
import io.crossjobs.events.ClusterPreempted;
import io.crossjobs.events.ClusterProgress;
import io.crossjobs.events.ClusterState;
import io.crossjobs.events.ControllerHeartbeat;
import io.crossjobs.events.JobEvent;
import io.crossjobs.events.JobExited;
import io.crossjobs.events.LaunchFailed;
import io.crossjobs.events.Placement;
import io.crossjobs.events.TerminateCluster;
import io.crossjobs.events.Topics;
import io.crossjobs.jobapi.config.ControllerSettings;
import io.crossjobs.jobapi.config.KeeperConfig;
import io.crossjobs.jobapi.service.ApiTokens;
import io.crossjobs.jobapi.service.TaskSecrets;
import io.crossjobs.service.messaging.OutboxRelay;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlClient;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Keeps the jobs controller running on its cloud, the role SkyPilot's API server plays: launches its VMs through the
 * provisioner of the controller's cloud (outbox rows on provision-commands.&lt;cloud&gt;), follows them through the
 * provisioners' events and the controller's heartbeats, replaces a VM that is lost, migrates, stops an idle
 * controller and starts it again. It lives in job-api because job-api is the one service that is always up for the
 * users: the controller itself may be down, moving or stopped. Decisions are {@link ControllerKeeperPolicy}'s; each
 * step runs in one transaction holding the controller row's lock, so ticks and events never interleave.
 */
@ApplicationScoped
public class ControllerKeeper {
    private static final Logger LOG = Logger.getLogger(ControllerKeeper.class);
    private static final SecureRandom RANDOM = new SecureRandom();

    public static final String CREATED = "ControllerCreated";
    public static final String REPORTED = "ControllerPlacementReported";
    public static final String LAUNCHED = "ControllerVmLaunched";
    public static final String SERVING = "ControllerVmServing";
    public static final String BOOTSTRAPPED = "ControllerVmBootstrapped";
    public static final String LOST = "ControllerVmLost";
    public static final String RETIRED = "ControllerVmRetired";
    public static final String GONE = "ControllerVmGone";
    public static final String LAUNCH_FAILED = "ControllerVmLaunchFailed";
    public static final String ORPHAN = "ControllerVmOrphan";
    public static final String MIGRATION_STARTED = "ControllerMigrationStarted";
    public static final String MIGRATED = "ControllerMigrated";
    public static final String MIGRATION_FAILED = "ControllerMigrationFailed";
    public static final String IDLE_STOPPED = "ControllerIdleStopped";
    public static final String IDLE_RESUMED = "ControllerIdleResumed";
    public static final String CANNOT_PLACE = "ControllerCannotPlace";

    private final KeeperStore store;
    private final ControllerKeeperPolicy policy;
    private final Optimizer optimizer;
    private final ControllerSettings settings;
    private final KeeperConfig config;
    private final TaskSecrets secrets;
    private final OutboxRelay relay;
    private final Clock clock;
    private final AtomicBoolean stepping = new AtomicBoolean();
    private final AtomicBoolean stepRequested = new AtomicBoolean();
    private volatile boolean started;
    /** Since when this process hears the heartbeats and the provisioners' events. */
    private volatile Instant listeningSince;
    private volatile String lastUnplaceable;

    public ControllerKeeper(KeeperStore store, Optimizer optimizer, ControllerSettings settings, KeeperConfig config,
                            TaskSecrets secrets, OutboxRelay relay) {
        this.store = store;
        this.optimizer = optimizer;
        this.settings = settings;
        this.config = config;
        this.secrets = secrets;
        this.relay = relay;
        this.clock = Clock.systemUTC();
        this.policy = new ControllerKeeperPolicy(optimizer, new ControllerKeeperPolicy.Limits(settings.replicas(),
                settings.autostop(), config.heartbeatTimeout(), config.bootTimeout(), config.launchTimeout(),
                config.relaunchBackoff()));
    }

    public boolean enabled() { return config.enabled(); }

    /** Without an artifact nothing can be launched; {@code GET /controller} says so. */
    public boolean canLaunch() { return config.controllerArtifact().isPresent(); }

    /** What {@code GET /controller} reports as configured. */
    public ConfiguredPlacement configured() {
        return new ConfiguredPlacement(settings.resources().cloud().toLowerCase(Locale.ROOT),
                settings.resources().region().orElse(null), settings.resources().cpus(), configuredMemory(),
                settings.replicas(), settings.autostop().map(Duration::toString).orElse(null));
    }

    void onStart(@Observes StartupEvent event) {
        if (!config.enabled()) {
            LOG.info("controller keeper is off (crossjobs.keeper.enabled=false): no controller VM is launched");
            return;
        }
        if (config.controllerArtifact().isEmpty()) {
            LOG.error("crossjobs.keeper.controller-artifact is not set: the controller cannot be launched");
        }
        store.pool().withTransaction(c -> store.lockController(c).chain(found -> found.isPresent()
                ? reportPlacement(c, found.get()) : create(c))).await().atMost(Duration.ofMinutes(1));
        listeningSince = clock.instant();
        started = true;
        step();
    }

    @Scheduled(identity = "crossjobs-controller-keeper", every = "${crossjobs.keeper.tick:1s}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    void tick() {
        step();
    }

    /** Decides and acts once, soon; cheap to call from anywhere, as often as wanted. */
    public void step() {
        if (!config.enabled() || !started) return;
        stepRequested.set(true);
        if (!stepping.compareAndSet(false, true)) return;   // the running step sees the request
        stepRequested.set(false);
        store.pool().withTransaction(c -> store.lockController(c).chain(found -> found.isEmpty()
                        ? Uni.createFrom().item(false) : decideAndApply(c, found.get())))
                .subscribe().with(sent -> {
                    stepping.set(false);
                    if (sent) relay.trigger();
                    if (stepRequested.get()) step();
                }, failure -> {
                    stepping.set(false);
                    LOG.errorf(failure, "controller keeper step failed; trying again on the next tick");
                });
    }

    private Uni<Boolean> decideAndApply(SqlClient c, ControllerRecord controller) {
        boolean needsLastChange = settings.autostop().isPresent();
        return store.recentVms(c).chain(vms -> store.jobActivity(c, needsLastChange).chain(jobs -> {
            Instant now = clock.instant();
            List<KeeperAction> actions = policy.decide(new KeeperView(controller, vms, jobs.live(), jobs.lastChange(),
                    listeningSince), now);
            Uni<Boolean> chain = Uni.createFrom().item(false);
            for (KeeperAction action : actions) {
                chain = chain.chain(sent -> apply(c, controller, vms, action, now).map(s -> s || sent));
            }
            return chain;
        }));
    }

    /** Applies one decision; returns whether it wrote a command for the relay. */
    private Uni<Boolean> apply(SqlClient c, ControllerRecord controller, List<ControllerVm> vms, KeeperAction action,
                               Instant now) {
        if (action instanceof KeeperAction.Launch launch) return launch(c, controller, launch, now);
        if (action instanceof KeeperAction.Stop stop) {
            return vms.stream().filter(vm -> vm.clusterName().equals(stop.clusterName())).findFirst()
                    .map(vm -> stop(c, controller, vm, stop.reason(), stop.lost(), now))
                    .orElse(Uni.createFrom().item(false));
        }
        if (action instanceof KeeperAction.CompleteMigration done) {
            String message = "controller " + controller.controllerId() + " migrated from " + controller.placement()
                    + " to " + controller.target() + ": " + done.newCluster() + " serves"
                    + (done.oldClusters().isEmpty() ? "" : ", " + String.join(", ", done.oldClusters()) + " stopped")
                    + "; in-flight jobs continue (their state is in PostgreSQL and Kafka)";
            LOG.warnf("%s", message);
            return store.completeMigration(c, now).chain(() -> store.history(c, new HistoryEntry(now, MIGRATED,
                    message, done.newCluster(), controller.targetCloud(), controller.targetRegion(),
                    controller.cloud(), controller.region()))).replaceWith(false);
        }
        if (action instanceof KeeperAction.AbortMigration abort) {
            LOG.warnf("controller %s: migration to %s failed: %s", controller.controllerId(), controller.target(),
                    abort.reason());
            return store.endMigration(c).chain(() -> store.history(c, new HistoryEntry(now, MIGRATION_FAILED,
                    abort.reason(), null, controller.targetCloud(), controller.targetRegion(), controller.cloud(),
                    controller.region()))).replaceWith(false);
        }
        if (action instanceof KeeperAction.IdleStop idle) {
            LOG.infof("controller %s: %s", controller.controllerId(), idle.reason());
            return store.idleStopped(c, now).chain(() -> store.history(c, HistoryEntry.of(now, IDLE_STOPPED,
                    idle.reason()))).replaceWith(false);
        }
        if (action instanceof KeeperAction.IdleResume resume) {
            LOG.infof("controller %s: %s", controller.controllerId(), resume.reason());
            return store.idleStopped(c, null).chain(() -> store.history(c, HistoryEntry.of(now, IDLE_RESUMED,
                    resume.reason()))).replaceWith(false);
        }
        KeeperAction.CannotPlace cannot = (KeeperAction.CannotPlace) action;
        if (cannot.reason().equals(lastUnplaceable)) return Uni.createFrom().item(false);
        lastUnplaceable = cannot.reason();
        LOG.errorf("controller %s: %s", controller.controllerId(), cannot.reason());
        return store.history(c, HistoryEntry.of(now, CANNOT_PLACE, cannot.reason())).replaceWith(false);
    }

    private Uni<Boolean> launch(SqlClient c, ControllerRecord controller, KeeperAction.Launch launch, Instant now) {
        if (config.controllerArtifact().isEmpty()) {
            return Uni.createFrom().item(false);
        }
        return store.takeGeneration(c).chain(generation -> {
            String token = ApiTokens.newToken();
            Placement p = launch.placement().withDiskSizeGb(settings.resources().diskSize());
            ControllerLaunch command = new ControllerLaunch(controller.controllerId(), generation, p,
                    config.controllerArtifact().get(), config.java(), config.jvmOptions(), config.bootstrapUrl(),
                    secrets.sealValue(token));
            ControllerVm vm = new ControllerVm(command.clusterName(), generation, p.cloud(), p.region(), p.zone(),
                    p.instanceType(), p.pricePerHour(), null, ControllerVmState.LAUNCHING, launch.reason(), now, null,
                    null, null, null, 0, null, null);
            String message = "launching controller VM " + vm.clusterName() + " on " + vm.where() + " ($"
                    + p.pricePerHour() + "/h): " + launch.reason();
            LOG.infof("controller %s: %s", controller.controllerId(), message);
            return store.insertVm(c, vm, ApiTokens.hash(token), now.plus(config.bootstrapTokenTtl()))
                    .chain(() -> store.outbox(c, command.command(), Topics.provisionCommands(p.cloud()), now))
                    .chain(() -> store.history(c, HistoryEntry.vm(now, LAUNCHED, message, vm)))
                    .replaceWith(true);
        });
    }

    private Uni<Boolean> stop(SqlClient c, ControllerRecord controller, ControllerVm vm, String reason, boolean lost,
                              Instant now) {
        return store.stopping(c, vm.clusterName(), reason, now).chain(changed -> {
            if (!changed) return Uni.createFrom().item(false);
            String message = (lost ? "controller VM " + vm.clusterName() + " lost: " : "stopping controller VM "
                    + vm.clusterName() + ": ") + reason;
            if (lost) LOG.warnf("controller %s: %s", controller.controllerId(), message);
            else LOG.infof("controller %s: %s", controller.controllerId(), message);
            return terminate(c, controller.controllerId(), vm, reason, now)
                    .chain(() -> store.history(c, HistoryEntry.vm(now, lost ? LOST : RETIRED, message, vm)))
                    .replaceWith(true);
        });
    }

    private Uni<Void> terminate(SqlClient c, String controllerId, ControllerVm vm, String reason, Instant now) {
        TerminateCluster command = TerminateCluster.of(controllerId).attempt(vm.generation())
                .clusterName(vm.clusterName()).cloud(vm.cloud()).region(vm.region()).reason(reason).build();
        return store.outbox(c, command, Topics.provisionCommands(vm.cloud()), now);
    }

    // --- what the provisioners and the controller report

    /** A provisioner's event about one of the controller's VMs. */
    public Uni<Void> onProvisionEvent(JobEvent event) {
        Instant now = clock.instant();
        return store.pool().withTransaction(c -> store.lockController(c).chain(found -> {
            if (event instanceof ClusterProgress p) return progress(c, found, p, now);
            if (event instanceof ClusterPreempted p) {
                return gone(c, found, p.clusterName(), "preempted by the cloud: " + p.message(), true, now);
            }
            if (event instanceof JobExited e && found.isPresent()) {
                return store.vm(c, e.clusterName()).chain(vm -> vm.isEmpty() ? Uni.createFrom().voidItem()
                        : stop(c, found.get(), vm.get(), "its controller process exited with code " + e.exitCode()
                        + " (" + e.phase() + ")", true, now).replaceWithVoid());
            }
            if (event instanceof LaunchFailed f) return launchFailed(c, f, now);
            if (event instanceof ClusterFound f) return found(c, f, now);
            return Uni.createFrom().voidItem();
        })).invoke(this::afterCommit);
    }

    private Uni<Void> progress(SqlClient c, Optional<ControllerRecord> controller, ClusterProgress p, Instant now) {
        String instance = p.instanceIds().isEmpty() ? null : p.instanceIds().get(0);
        return switch (p.state()) {
            case PROVISIONING, RUNNING -> store.reported(c, p.clusterName(), instance, p.zone(),
                    p.state() == ClusterState.RUNNING, now).replaceWithVoid();
            case TERMINATED -> gone(c, controller, p.clusterName(), "terminated (" + p.message() + ")", false, now);
            case PREEMPTED -> gone(c, controller, p.clusterName(), "preempted by the cloud (" + p.message() + ")", true,
                    now);
            default -> Uni.createFrom().voidItem();
        };
    }

    /**
     * The cloud reports the VM gone. A preempted VM is also terminated: some clouds keep a preempted instance
     * stopped (GCE), its disk still billed, until it is deleted.
     */
    private Uni<Void> gone(SqlClient c, Optional<ControllerRecord> controller, String cluster, String reason,
                           boolean preempted, Instant now) {
        return store.vm(c, cluster).chain(before -> store.gone(c, cluster, reason, now).chain(changed -> {
            if (!changed || before.isEmpty()) return Uni.createFrom().voidItem();
            ControllerVm vm = before.get();
            boolean unexpected = vm.state().active();
            String message = "controller VM " + cluster + " is gone: " + (unexpected ? reason : vm.reason());
            if (unexpected) LOG.warnf("%s", message);
            else LOG.infof("%s", message);
            Uni<Void> cleanUp = preempted && controller.isPresent()
                    ? terminate(c, controller.get().controllerId(), vm, "clean-up after preemption", now)
                    : Uni.createFrom().voidItem();
            return cleanUp.chain(() -> store.history(c, HistoryEntry.vm(now, unexpected ? LOST : GONE, message, vm)));
        }));
    }

    private Uni<Void> launchFailed(SqlClient c, LaunchFailed f, Instant now) {
        String reason = "the cloud refused the launch: " + f.errorClass() + " " + f.errorCode() + ": " + f.message();
        return store.vm(c, f.clusterName()).chain(vm -> store.launchFailed(c, f.clusterName(), reason, now)
                .chain(changed -> {
                    if (!changed || vm.isEmpty()) return Uni.createFrom().voidItem();
                    LOG.warnf("controller VM %s on %s: %s", f.clusterName(), vm.get().where(), reason);
                    return store.history(c, HistoryEntry.vm(now, LAUNCH_FAILED, "controller VM " + f.clusterName()
                            + " on " + vm.get().where() + ": " + reason, vm.get()));
                }));
    }

    /** A live controller VM a provisioner did not launch itself: kept if it is one of ours, terminated otherwise. */
    private Uni<Void> found(SqlClient c, ClusterFound f, Instant now) {
        return store.vm(c, f.clusterName()).chain(vm -> {
            if (vm.isPresent() && vm.get().state().active()) return Uni.createFrom().voidItem();
            String reason = "orphan: controller VM " + f.clusterName() + " is "
                    + vm.map(v -> "retired (" + v.state() + ")").orElse("unknown to this keeper");
            LOG.warnf("%s on %s/%s; terminating it", reason, f.cloud(), f.region());
            TerminateCluster command = TerminateCluster.of(f.jobId()).attempt(f.attempt())
                    .clusterName(f.clusterName()).cloud(f.cloud()).region(f.region()).reason(reason).build();
            return store.outbox(c, command, Topics.provisionCommands(f.cloud()), now)
                    .chain(() -> store.history(c, new HistoryEntry(now, ORPHAN, reason, f.clusterName(), f.cloud(),
                            f.region(), null, null)));
        });
    }

    public Uni<Void> onHeartbeat(ControllerHeartbeat hb) {
        Instant now = clock.instant();
        return store.pool().withTransaction(c -> store.vm(c, hb.clusterName()).chain(before -> store.heartbeat(c,
                hb.clusterName(), hb.ready(), hb.process(), hb.assignedPartitions(), now).chain(state -> {
            if (before.isEmpty() || state.isEmpty()) {
                LOG.debugf("heartbeat of controller VM %s ignored: it is not a live VM of this keeper", hb.clusterName());
                return Uni.createFrom().voidItem();
            }
            if (before.get().state() == ControllerVmState.SERVING || state.get() != ControllerVmState.SERVING) {
                return Uni.createFrom().voidItem();
            }
            ControllerVm vm = before.get();
            String message = "controller VM " + vm.clusterName() + " on " + vm.where() + " serves: process "
                    + hb.process() + ", " + Duration.between(vm.launchedAt(), now).toSeconds() + " s after its launch";
            LOG.infof("%s", message);
            return store.history(c, HistoryEntry.vm(now, SERVING, message, vm));
        }))).invoke(this::step);
    }

    /** Commands written by an event's transaction go out now; the next step may follow from the event. */
    private void afterCommit() {
        relay.trigger();
        step();
    }

    // --- start

    private Uni<Void> create(SqlClient c) {
        Instant now = clock.instant();
        ConfiguredPlacement want = configured();
        String region = want.region() != null ? want.region() : cheapestRegion(want).orElse(null);
        if (region == null) {
            throw new IllegalStateException("no catalog offer fits the controller (" + want.cpus() + " vCPUs, "
                    + want.memory() + " GiB) on " + want.cloud() + ": check jobs.controller.resources");
        }
        String id = "controller-" + HexFormat.of().formatHex(randomBytes(4));
        ControllerRecord r = new ControllerRecord(id, want.cloud(), region, want.cpus(), want.memory(), now, now, null,
                null, null, null, 1);
        String message = "controller " + id + " created on " + r.placement() + " (" + want.cpus() + " vCPUs, "
                + want.memory() + " GiB" + (want.region() == null ? "; the cheapest region of " + want.cloud() : "")
                + ")";
        LOG.infof("%s", message);
        return store.createController(c, r).chain(() -> store.history(c, new HistoryEntry(now, CREATED, message, null,
                r.cloud(), r.region(), null, null)));
    }

    private Uni<Void> reportPlacement(SqlClient c, ControllerRecord r) {
        ConfiguredPlacement want = configured();
        boolean same = want.cloud().equals(r.cloud()) && (want.region() == null || want.region().equals(r.region()))
                && want.cpus().equals(r.cpus()) && java.util.Objects.equals(want.memory(), r.memory());
        if (same) {
            LOG.infof("controller %s is placed on %s as configured", r.controllerId(), r.placement());
            return Uni.createFrom().voidItem();
        }
        String message = mismatch(r, want);
        LOG.warnf("%s", message);
        return store.history(c, new HistoryEntry(clock.instant(), REPORTED, message, null, want.cloud(), want.region(),
                r.cloud(), r.region()));
    }

    static String mismatch(ControllerRecord r, ConfiguredPlacement want) {
        return "configured controller placement " + want.describe() + " differs from the effective placement "
                + r.placement() + " cpus=" + r.cpus() + " memory=" + r.memory() + " of controller " + r.controllerId()
                + "; it has no effect on the existing controller (crossjobs controller migrate moves it)";
    }

    private Optional<String> cheapestRegion(ConfiguredPlacement want) {
        return cheapestRegion(want.cloud(), want.cpus(), want.memory());
    }

    /** The region of {@code cloud} where the controller's size costs least. */
    public Optional<String> cheapestRegion(String cloud, ControllerRecord r) {
        return cheapestRegion(cloud, r.cpus(), r.memory());
    }

    private Optional<String> cheapestRegion(String cloud, String cpus, String memory) {
        return ControllerOffers.plan(optimizer, cloud, null, cpus, memory).cheapest().map(Placement::region);
    }

    /** Records the migration's target; the next step launches a VM there. Call inside the locked transaction. */
    public Uni<Void> startMigration(SqlClient c, ControllerRecord r, String cloud, String region, Instant now) {
        String message = "migrating controller " + r.controllerId() + " from " + r.placement() + " to " + cloud + "/"
                + region + ": a VM there is launched first; the old one stops once the new one serves";
        LOG.warnf("%s", message);
        return store.startMigration(c, cloud, region, now).chain(() -> store.history(c, new HistoryEntry(now,
                MIGRATION_STARTED, message, null, cloud, region, r.cloud(), r.region())));
    }

    /** SkyPilot's controller default: 4 GiB per vCPU of the configured count. */
    private String configuredMemory() {
        if (settings.resources().memory().isPresent()) return settings.resources().memory().get();
        String cpus = settings.resources().cpus().strip();
        boolean atLeast = cpus.endsWith("+");
        try {
            double n = Double.parseDouble(atLeast ? cpus.substring(0, cpus.length() - 1) : cpus);
            long gib = Math.round(n * 4);
            return gib + (atLeast ? "+" : "");
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static byte[] randomBytes(int n) {
        byte[] b = new byte[n];
        RANDOM.nextBytes(b);
        return b;
    }
}

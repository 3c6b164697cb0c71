package io.crossjobs.jobapi.controller;

import io.crossjobs.catalog.PriceCatalog;
import io.crossjobs.jobapi.service.InvalidInputException;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.WebApplicationException;

import java.time.Clock;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** {@code GET /controller} and {@code POST /controller/migrate}, from the keeper's tables. */
@ApplicationScoped
public class ControllerStatusService {
    private static final List<String> MOVES = List.of(ControllerKeeper.MIGRATED, ControllerKeeper.MIGRATION_FAILED);

    private final KeeperStore store;
    private final ControllerKeeper keeper;
    private final PriceCatalog catalog;
    private final Clock clock = Clock.systemUTC();

    public ControllerStatusService(KeeperStore store, ControllerKeeper keeper, PriceCatalog catalog) {
        this.store = store;
        this.keeper = keeper;
        this.catalog = catalog;
    }

    public Uni<ControllerStatus> status() {
        ConfiguredPlacement configured = keeper.configured();
        return store.pool().withConnection(c -> store.controller(c).chain(found -> store.allVms(c).chain(vms ->
                store.history(c, MOVES, 50).chain(moves -> store.history(c, List.of(), 30).map(history ->
                        status(configured, found, vms, moves, history))))));
    }

    private ControllerStatus status(ConfiguredPlacement configured, Optional<ControllerRecord> found,
                                    List<ControllerVm> oldestFirst, List<HistoryEntry> moves,
                                    List<HistoryEntry> history) {
        List<ControllerVm> vms = oldestFirst.stream().sorted(Comparator.comparingInt(ControllerVm::generation).reversed())
                .toList();
        List<ControllerStatus.Migration> migrations = moves.stream().map(ControllerStatusService::migration).toList();
        if (found.isEmpty()) {
            return new ControllerStatus(null, configured, null, false, keeper.enabled()
                    ? "the controller is not recorded yet" : "the controller keeper is off (crossjobs.keeper.enabled)",
                    null, keeper.enabled() ? "NOT_RECORDED" : "DISABLED", null, vms, migrations, history);
        }
        ControllerRecord r = found.get();
        Optional<ControllerVm> serving = vms.stream().filter(vm -> vm.state() == ControllerVmState.SERVING)
                .filter(vm -> vm.at(r.cloud(), r.region())).findFirst()
                .or(() -> vms.stream().filter(vm -> vm.state() == ControllerVmState.SERVING).findFirst());
        Optional<ControllerVm> shown = serving.or(() -> vms.stream().filter(vm -> vm.state().active()).findFirst());
        ControllerStatus.Effective effective = shown.map(vm -> effective(vm, r)).orElse(null);
        boolean mismatch = !configured.cloud().equals(r.cloud())
                || configured.region() != null && !configured.region().equals(r.region())
                || !configured.cpus().equals(r.cpus()) || !java.util.Objects.equals(configured.memory(), r.memory());
        String state = !keeper.enabled() ? "DISABLED" : r.migrating() ? "MIGRATING"
                : r.idleStoppedAt() != null ? "IDLE_STOPPED" : serving.isPresent() ? "SERVING" : "LAUNCHING";
        String message = mismatch ? ControllerKeeper.mismatch(r, configured)
                : !keeper.canLaunch() && serving.isEmpty()
                ? "no controller VM can be launched: crossjobs.keeper.controller-artifact is not set"
                : describe(state, r, shown);
        ControllerStatus.Target target = r.migrating()
                ? new ControllerStatus.Target(r.targetCloud(), r.targetRegion(), r.targetSince()) : null;
        return new ControllerStatus(r.controllerId(), configured, effective, mismatch, message, r.since(), state,
                target, vms, migrations, history);
    }

    private static String describe(String state, ControllerRecord r, Optional<ControllerVm> vm) {
        return switch (state) {
            case "SERVING" -> "configured and effective placement agree: " + r.placement() + "; controller VM "
                    + vm.get().clusterName() + " serves on " + vm.get().where();
            case "MIGRATING" -> "migrating from " + r.placement() + " to " + r.target();
            case "IDLE_STOPPED" -> "stopped for idleness since " + r.idleStoppedAt()
                    + "; the next submission launches it again";
            case "DISABLED" -> "the controller keeper is off (crossjobs.keeper.enabled)";
            default -> vm.map(v -> "controller VM " + v.clusterName() + " on " + v.where() + " is "
                    + v.state().name().toLowerCase(Locale.ROOT)).orElse("no controller VM yet on " + r.placement());
        };
    }

    private static ControllerStatus.Effective effective(ControllerVm vm, ControllerRecord r) {
        return new ControllerStatus.Effective(vm.cloud(), vm.region(), vm.zone(), vm.instanceType(), vm.instanceId(),
                false, vm.pricePerHour(), vm.runningAt() != null ? vm.runningAt() : vm.launchedAt(), vm.clusterName(),
                vm.generation(), vm.state().name(), r.cpus(), r.memory(), vm.process(), vm.lastHeartbeatAt(),
                vm.assignedPartitions());
    }

    private static ControllerStatus.Migration migration(HistoryEntry h) {
        return new ControllerStatus.Migration(h.at(), new ControllerStatus.Where(h.fromCloud(), h.fromRegion()),
                new ControllerStatus.Where(h.cloud(), h.region()), ControllerKeeper.MIGRATED.equals(h.kind()),
                h.message());
    }

    /**
     * Starts moving the controller to {@code cloud}/{@code region} (the cheapest region of the cloud when null): the
     * keeper launches a VM there, waits until it serves, then stops the old ones. Answers at once with the status.
     */
    public Uni<ControllerStatus> migrate(String cloud, String region) {
        if (!keeper.enabled()) throw new WebApplicationException("the controller keeper is off", 409);
        if (cloud == null || cloud.isBlank()) throw new InvalidInputException("cloud", "is required (aws, gcp or azure)");
        String c = cloud.strip().toLowerCase(Locale.ROOT);
        List<String> clouds = catalog.offers().stream().map(o -> o.cloud()).distinct().toList();
        if (!clouds.contains(c)) {
            throw new InvalidInputException("cloud", "unknown cloud '" + cloud + "': the catalog has " + clouds);
        }
        String r = region == null || region.isBlank() ? null : region.strip();
        List<String> regions = catalog.offers().stream().filter(o -> o.cloud().equals(c)).map(o -> o.region())
                .distinct().toList();
        if (r != null && !regions.contains(r)) {
            throw new InvalidInputException("region", "unknown region '" + region + "' for cloud " + c
                    + ": the catalog has " + regions);
        }
        Instant now = clock.instant();
        return store.pool().withTransaction(conn -> store.lockController(conn).chain(found -> {
            if (found.isEmpty()) throw new WebApplicationException("the controller is not recorded yet", 409);
            ControllerRecord rec = found.get();
            String targetRegion = r != null ? r : keeper.cheapestRegion(c, rec).orElseThrow(() ->
                    new InvalidInputException("cloud", "no catalog offer of " + c + " fits the controller ("
                            + rec.cpus() + " vCPUs, " + rec.memory() + " GiB)"));
            if (rec.migrating()) {
                throw new WebApplicationException("a migration to " + rec.target() + " is under way", 409);
            }
            if (rec.cloud().equals(c) && rec.region().equals(targetRegion)) return Uni.createFrom().voidItem();
            return keeper.startMigration(conn, rec, c, targetRegion, now);
        })).invoke(keeper::step).chain(this::status);
    }
}

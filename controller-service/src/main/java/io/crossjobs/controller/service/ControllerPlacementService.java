package io.crossjobs.controller.service;

import io.crossjobs.controller.config.ControllerResourcesConfig;
import io.crossjobs.controller.model.ControllerPlacement;
import io.crossjobs.controller.model.ControllerStatus;
import io.crossjobs.controller.repository.ControllerHistoryEntity;
import io.crossjobs.controller.repository.ControllerInstanceEntity;
import io.crossjobs.controller.repository.ControllerRepository;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.logging.Log;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.vertx.core.runtime.context.VertxContextSafetyToggle;
import io.smallrye.common.vertx.VertxContext;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import java.time.Clock;
import java.time.Instant;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The controller's own placement. The first start records its identity and placement; a later start configured
 * differently changes nothing and says so (WARN log, a ControllerPlacementReported history row, the mismatch in
 * {@code GET /controller}), as SkyPilot does. Unlike SkyPilot, {@link #migrate} moves it: all job state lives in
 * PostgreSQL and Kafka, so the controller process started in the new place resumes every in-flight job.
 */
@ApplicationScoped
public class ControllerPlacementService {
    public static final String CREATED = "ControllerCreated";
    public static final String REPORTED = "ControllerPlacementReported";
    public static final String MIGRATED = "ControllerMigrated";

    private final ControllerRepository repository;
    private final ControllerPlacement configured;
    private final PriceCatalog catalog;
    private final Clock clock;
    private final Vertx vertx;

    public ControllerPlacementService(ControllerRepository repository, ControllerResourcesConfig config,
                                      PriceCatalog catalog, Clock clock, Vertx vertx) {
        this.repository = repository;
        this.configured = ControllerPlacement.of(config.cloud(), config.region(), config.cpus(),
                config.memory().orElse(null));
        this.catalog = catalog;
        this.clock = clock;
        this.vertx = vertx;
    }

    public ControllerPlacement configured() { return configured; }

    /** Recorded before the consumers start their work matters little; it must be there before anyone asks. */
    void onStart(@Observes StartupEvent event) throws Exception {
        CompletableFuture<Void> done = new CompletableFuture<>();
        Context ctx = VertxContext.createNewDuplicatedContext(vertx.getOrCreateContext());
        VertxContextSafetyToggle.setContextSafe(ctx, true);
        ctx.runOnContext(v -> Panache.withTransaction(this::recordStart)
                .subscribe().with(done::complete, done::completeExceptionally));
        done.get(60, TimeUnit.SECONDS);
    }

    /** What every start does: record the controller (first start) or report a placement that differs. */
    public Uni<Void> recordStart() {
        Instant now = clock.instant();
        String process = ProcessHandle.current().pid() + "@" + hostName();
        return repository.findForUpdate().chain(row -> {
            if (row == null) {
                ControllerInstanceEntity e = new ControllerInstanceEntity();
                e.singleton = ControllerInstanceEntity.SINGLETON;
                e.controllerId = "controller-" + UUID.randomUUID();
                e.cloud = configured.cloud();
                e.region = configured.region();
                e.cpus = configured.cpus();
                e.memory = configured.memory();
                e.since = now;
                e.createdAt = now;
                String message = "controller " + e.controllerId + " created on " + configured + " (process " + process + ")";
                Log.infof("%s", message);
                return repository.persist(e)
                        .chain(() -> repository.record(CREATED, message, e.cloud, e.region, null, null, now));
            }
            ControllerPlacement effective = effective(row);
            if (effective.sameAs(configured)) {
                Log.infof("controller %s started on its placement %s (process %s)", row.controllerId, effective, process);
                return Uni.createFrom().voidItem();
            }
            String message = mismatchMessage(row.controllerId, effective);
            Log.warnf("%s (process %s)", message, process);
            return repository.record(REPORTED, message, configured.cloud(), configured.region(), effective.cloud(),
                    effective.region(), now);
        });
    }

    public Uni<ControllerStatus> status() {
        return Panache.withSession(() -> repository.find().chain(row -> repository.history(MIGRATED).map(migrations -> {
            if (row == null) {
                return new ControllerStatus(null, configured, null, false, "the controller is not recorded yet", null,
                        java.util.List.of());
            }
            ControllerPlacement effective = effective(row);
            boolean mismatch = !effective.sameAs(configured);
            String message = mismatch ? mismatchMessage(row.controllerId, effective)
                    : "configured and effective placement agree: " + effective;
            return new ControllerStatus(row.controllerId, configured, effective, mismatch, message, row.since,
                    migrations.stream().map(ControllerPlacementService::migration).toList());
        })));
    }

    /**
     * Moves the controller to {@code cloud}/{@code region} (its size stays): the effective placement changes and a
     * ControllerMigrated row is written. In-flight jobs are untouched: their state is in PostgreSQL and Kafka, and
     * the controller process started at the new place carries on with it.
     */
    public Uni<ControllerStatus> migrate(String cloud, String region) {
        if (cloud == null || cloud.isBlank()) throw new InvalidFieldException("cloud", "cloud is required (aws, gcp or azure)");
        if (region == null || region.isBlank()) throw new InvalidFieldException("region", "region is required");
        String c = cloud.strip().toLowerCase(Locale.ROOT);
        String r = region.strip();
        if (catalog.offers().stream().noneMatch(o -> o.cloud().equalsIgnoreCase(c))) {
            throw new InvalidFieldException("cloud", "unknown cloud '" + cloud + "': the catalog has "
                    + catalog.offers().stream().map(o -> o.cloud()).distinct().toList());
        }
        if (catalog.offers().stream().noneMatch(o -> o.cloud().equalsIgnoreCase(c) && o.region().equals(r))) {
            throw new InvalidFieldException("region", "unknown region '" + region + "' for cloud " + c
                    + ": the catalog has " + catalog.offers().stream().filter(o -> o.cloud().equalsIgnoreCase(c))
                    .map(o -> o.region()).distinct().toList());
        }
        Instant now = clock.instant();
        return Panache.withTransaction(() -> repository.findForUpdate().chain(row -> {
            if (row == null) return Uni.createFrom().failure(new IllegalStateException("the controller is not recorded yet"));
            if (row.cloud.equals(c) && row.region.equals(r)) {
                Log.infof("controller %s is already on %s/%s; migration changes nothing", row.controllerId, c, r);
                return Uni.createFrom().voidItem();
            }
            String message = "controller " + row.controllerId + " migrated from " + row.cloud + "/" + row.region
                    + " to " + c + "/" + r + "; in-flight jobs continue (their state is in PostgreSQL and Kafka)";
            Log.warnf("%s", message);
            String fromCloud = row.cloud;
            String fromRegion = row.region;
            row.cloud = c;
            row.region = r;
            row.since = now;
            return repository.record(MIGRATED, message, c, r, fromCloud, fromRegion, now);
        })).chain(this::status);
    }

    /** The placement the controller effectively has right now (for its cost). */
    public Uni<ControllerPlacement> effective() {
        return Panache.withSession(() -> repository.find().map(row -> row == null ? configured : effective(row)));
    }

    private String mismatchMessage(String id, ControllerPlacement effective) {
        return "configured controller placement " + configured + " differs from the effective placement " + effective
                + " of controller " + id + "; it has no effect on the existing controller (POST /controller/migrate moves it)";
    }

    private static ControllerPlacement effective(ControllerInstanceEntity row) {
        return new ControllerPlacement(row.cloud, row.region, row.cpus, row.memory);
    }

    private static ControllerStatus.Migration migration(ControllerHistoryEntity h) {
        return new ControllerStatus.Migration(h.at, new ControllerStatus.Where(h.fromCloud, h.fromRegion),
                new ControllerStatus.Where(h.cloud, h.region), h.message);
    }

    private static String hostName() {
        try {
            return java.net.InetAddress.getLocalHost().getHostName();
        } catch (java.io.IOException e) {
            return "unknown-host";
        }
    }
}

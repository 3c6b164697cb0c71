package io.crossjobs.jobapi.rest;

import io.crossjobs.jobapi.archive.ArchiveStore;
import io.crossjobs.jobapi.service.Callers;
import io.crossjobs.jobapi.service.ForbiddenException;
import io.crossjobs.jobapi.service.InvalidInputException;
import io.crossjobs.jobapi.service.TaskSpecMapper;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.util.Map;

/**
 * The object store uploads live in (admins): {@code GET /store} shows where, {@code DELETE /store?cloud=X} removes
 * the store crossjobs made on that cloud and everything in it ({@code crossjobs store remove}); a bucket named by
 * {@code jobs.bucket} is the operator's and is never removed.
 */
@Path("/store")
@Produces(MediaType.APPLICATION_JSON)
public class StoreResource {
    private final ArchiveStore store;
    private final Callers callers;

    public StoreResource(ArchiveStore store, Callers callers) {
        this.store = store;
        this.callers = callers;
    }

    @GET
    public Uni<Map<String, String>> get() {
        requireAdmin();
        return onWorker(() -> {
            try {
                return Map.of("uri", store.storeUri());
            } catch (ArchiveStore.StoreUnavailableException e) {
                return Map.of("error", e.getMessage());
            }
        });
    }

    @DELETE
    public Uni<Response> remove(@QueryParam("cloud") String cloud) {
        requireAdmin();
        if (cloud == null || !TaskSpecMapper.CLOUDS.contains(cloud)) {
            throw new InvalidInputException("cloud", "must name the cloud whose crossjobs store to remove: aws, gcp "
                    + "or azure");
        }
        return onWorker(() -> {
            try {
                return Response.ok(Map.of("cloud", cloud, "deletedObjects", store.removeStore(cloud))).build();
            } catch (ArchiveStore.StoreUnavailableException e) {
                return Response.status(503).entity(Map.of("error", e.getMessage())).build();
            }
        });
    }

    /** The store's calls block on HTTP; the auth filter before them runs on the event loop, so they move off it. */
    private static <T> Uni<T> onWorker(java.util.function.Supplier<T> call) {
        return Uni.createFrom().item(call).runSubscriptionOn(Infrastructure.getDefaultWorkerPool());
    }

    private void requireAdmin() {
        if (!callers.caller().admin()) {
            throw new ForbiddenException("only an admin may manage the store: it holds every user's uploads");
        }
    }
}

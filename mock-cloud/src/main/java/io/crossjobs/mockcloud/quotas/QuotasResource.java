package io.crossjobs.mockcloud.quotas;

import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import io.crossjobs.mockcloud.sim.Cloud;
import io.crossjobs.mockcloud.sim.VmSimulator;
import io.smallrye.common.annotation.Blocking;

/**
 * The mock account's vCPU and GPU quotas: read them with their usage, raise or lower one (what a user's
 * increase request does on the cloud), or go back to the configured limits.
 */
@Path("/mock/quotas")
@Produces(MediaType.APPLICATION_JSON)
@Blocking
public class QuotasResource {

    /** {@code region}: a region, {@code *} (or absent) for every region, {@code global} for a global quota. */
    public record QuotaChange(String cloud, String region, String metric, Double limit) { }

    @Inject
    QuotaGate quotas;

    @Inject
    VmSimulator simulator;

    @GET
    public Response list(@QueryParam("cloud") String cloud, @QueryParam("region") String region) {
        if (cloud == null || region == null || region.isBlank()) {
            return Response.status(400).entity(new Error("cloud and region are required")).build();
        }
        try {
            return Response.ok(quotas.usage(Cloud.of(cloud), region, simulator.list(v -> v.state().alive()))).build();
        } catch (IllegalArgumentException e) {
            return Response.status(400).entity(new Error(e.getMessage())).build();
        }
    }

    @PUT
    @Consumes(MediaType.APPLICATION_JSON)
    public Response set(QuotaChange change) {
        try {
            if (change == null || change.limit() == null) throw new IllegalArgumentException("limit is required");
            QuotaOverride o = new QuotaOverride(Cloud.of(change.cloud()), change.region(), change.metric(),
                    change.limit());
            quotas.set(o);
            return Response.ok(o).build();
        } catch (IllegalArgumentException e) {
            return Response.status(400).entity(new Error(e.getMessage())).build();
        }
    }

    /** Every quota back to the mock account's defaults and the configured limits. */
    @DELETE
    public void reset() {
        quotas.reset();
    }

    public record Error(String error) { }
}

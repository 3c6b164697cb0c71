package io.crossjobs.mockcloud.admin;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import io.crossjobs.events.ClusterRole;
import io.crossjobs.mockcloud.limits.ApiRateLimiter;
import io.crossjobs.mockcloud.objects.ObjectStore;
import io.crossjobs.mockcloud.sim.Cloud;
import io.crossjobs.mockcloud.sim.FaultRule;
import io.crossjobs.mockcloud.sim.FaultSpec;
import io.crossjobs.mockcloud.sim.UnknownVmException;
import io.crossjobs.mockcloud.sim.VmSimulator;
import io.crossjobs.mockcloud.sim.VmView;
import io.smallrye.common.annotation.Blocking;

/** Test control of the simulated clouds: faults, preemption, inventory, consoles. JSON unless noted. */
@Path("/mock")
@Produces(MediaType.APPLICATION_JSON)
@Blocking
public class AdminResource {

    @Inject
    VmSimulator simulator;

    @Inject
    OverlapRecord overlaps;

    @Inject
    ApiRateLimiter limits;

    @Inject
    ObjectStore objects;

    /** The next {@code count} matching calls fail with the given error. */
    @POST
    @Path("faults")
    @Consumes(MediaType.APPLICATION_JSON)
    public Response addFault(FaultSpec spec) {
        if (spec == null) return badRequest("a JSON fault is required");
        try {
            FaultRule rule = simulator.faults().add(spec);
            return Response.status(Response.Status.CREATED).entity(rule).build();
        } catch (IllegalArgumentException e) {
            return badRequest(e.getMessage());
        }
    }

    @GET
    @Path("faults")
    public List<FaultRule> faults() {
        return simulator.faults().list();
    }

    @DELETE
    @Path("faults")
    public Map<String, Integer> clearFaults() {
        return Map.of("cleared", simulator.faults().clear());
    }

    @DELETE
    @Path("faults/{id}")
    public Response removeFault(@PathParam("id") String id) {
        return simulator.faults().remove(id) ? Response.noContent().build() : notFound("no fault " + id);
    }

    /**
     * Spot-style reclaim of an instance, now or after {@code afterMs}; {@code shuttingDownMs} how long it then stays
     * shutting-down (default: the setting).
     */
    @POST
    @Path("instances/{id}/preempt")
    public Response preempt(@PathParam("id") String id, @QueryParam("afterMs") Long afterMs,
                            @QueryParam("shuttingDownMs") Long shuttingDownMs) {
        if (afterMs != null && afterMs < 0) return badRequest("afterMs must not be negative");
        if (shuttingDownMs != null && shuttingDownMs < 0) return badRequest("shuttingDownMs must not be negative");
        try {
            VmView vm = simulator.preempt(id, afterMs == null ? Duration.ZERO : Duration.ofMillis(afterMs),
                    shuttingDownMs == null ? null : Duration.ofMillis(shuttingDownMs));
            return Response.accepted(InventoryItem.of(vm)).build();
        } catch (UnknownVmException e) {
            return notFound("no instance " + id);
        } catch (IllegalStateException e) {
            return Response.status(Response.Status.CONFLICT).entity(Map.of("error", e.getMessage())).build();
        }
    }

    /**
     * Every instance the simulator knows; {@code alive=true}: only pending and running ones; {@code role=controller}
     * or {@code role=job}: only those whose {@code crossjobs-role} tag says so.
     */
    @GET
    @Path("inventory")
    public Response inventory(@QueryParam("alive") boolean alive, @QueryParam("cloud") String cloud,
                              @QueryParam("region") String region, @QueryParam("role") String role) {
        Cloud c;
        String r;
        try {
            c = cloud == null || cloud.isBlank() ? null : Cloud.of(cloud);
            r = role == null || role.isBlank() ? null : roleTagValue(role);
        } catch (IllegalArgumentException e) {
            return badRequest(e.getMessage());
        }
        List<InventoryItem> items = simulator.list(vm -> (!alive || vm.state().alive())
                        && (c == null || vm.cloud() == c) && (region == null || region.equals(vm.region()))
                        && (r == null || r.equals(vm.role())))
                .stream().map(InventoryItem::of).toList();
        return Response.ok(items).build();
    }

    /** {@code role} when it is a value of the {@code crossjobs-role} tag ({@link ClusterRole#tagValue()}). */
    private static String roleTagValue(String role) {
        List<String> known = Arrays.stream(ClusterRole.values()).map(ClusterRole::tagValue).toList();
        if (!known.contains(role)) throw new IllegalArgumentException("role must be one of " + known + ": " + role);
        return role;
    }

    /**
     * Per job id tag, the most clusters alive at once (from the simulator's instance lifetimes); {@code min=2}
     * lists only the jobs that ran twice at the same moment.
     */
    @GET
    @Path("overlaps")
    public Response overlaps(@QueryParam("min") Integer min) {
        if (min != null && min < 0) return badRequest("min must not be negative");
        return Response.ok(overlaps.jobs(min == null ? 0 : min)).build();
    }

    @GET
    @Path("instances/{id}")
    public Response instance(@PathParam("id") String id) {
        return simulator.get(id).map(vm -> Response.ok(InventoryItem.of(vm)).build())
                .orElseGet(() -> notFound("no instance " + id));
    }

    /** The instance's whole console output, as plain text. */
    @GET
    @Path("instances/{id}/console")
    @Produces(MediaType.TEXT_PLAIN + ";charset=UTF-8")
    public Response console(@PathParam("id") String id) {
        return simulator.console(id).map(c -> Response.ok(c.text(), MediaType.TEXT_PLAIN_TYPE.withCharset("UTF-8"))
                .build()).orElseGet(() -> Response.status(Response.Status.NOT_FOUND)
                .type(MediaType.TEXT_PLAIN_TYPE).entity("no instance " + id + "\n").build());
    }

    /**
     * The user data the instance was launched with, decoded, as bytes: what anyone allowed to describe it reads. The
     * instance is named by the simulator's id or by the id a provisioner knows it by: a name (an ARM VM) or a cloud
     * resource name with slashes (GCE {@code zones/<zone>/instances/<name>}, an ARM id ending in {@code /<name>}).
     */
    @GET
    @Path("instances/{id: .+}/user-data")
    @Produces(MediaType.APPLICATION_OCTET_STREAM)
    public Response userData(@PathParam("id") String id) {
        return simulator.userData(simulatorId(id)).map(data -> Response.ok(data).build())
                .orElseGet(() -> Response.status(Response.Status.NOT_FOUND)
                        .type(MediaType.TEXT_PLAIN_TYPE).entity("no instance " + id + "\n").build());
    }

    /**
     * The simulator's id of the VM {@code id} names: itself when the simulator knows it, else the newest VM whose name
     * is its last segment (in the zone it names, if any).
     */
    private String simulatorId(String id) {
        if (simulator.get(id).isPresent()) return id;
        String name = id.substring(id.lastIndexOf('/') + 1);
        java.util.regex.Matcher zone = java.util.regex.Pattern.compile("(?:^|/)zones/([^/]+)/").matcher(id);
        String inZone = zone.find() ? zone.group(1) : null;
        return simulator.list(v -> name.equals(v.name()) && (inZone == null || inZone.equals(v.zone()))).stream()
                .max(java.util.Comparator.comparingLong(VmView::sequence)).map(VmView::id).orElse(id);
    }

    /** Kills every workload and forgets all instances, idempotency tokens, faults, request counts and stored objects. */
    @POST
    @Path("reset")
    public Map<String, String> reset() {
        simulator.reset();
        overlaps.clear();
        limits.reset();
        objects.reset();
        return Map.of("status", "reset");
    }

    private static Response badRequest(String message) {
        return Response.status(Response.Status.BAD_REQUEST).type(MediaType.APPLICATION_JSON)
                .entity(Map.of("error", message)).build();
    }

    private static Response notFound(String message) {
        return Response.status(Response.Status.NOT_FOUND).type(MediaType.APPLICATION_JSON)
                .entity(Map.of("error", message)).build();
    }
}

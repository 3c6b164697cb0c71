package io.crossjobs.mockcloud.gce;

import java.util.function.Supplier;

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

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.crossjobs.mockcloud.quotas.QuotaGate;
import io.crossjobs.mockcloud.sim.Cloud;
import io.crossjobs.mockcloud.sim.VmSimulator;
import io.smallrye.common.annotation.Blocking;

/** Compute Engine's REST paths under {@code /compute/v1/projects/{project}}, as google-cloud-compute calls them. */
@Path("/compute/v1/projects/{project}")
@Produces(MediaType.APPLICATION_JSON)
@Blocking
public class GceResource {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    GceApi api;

    @Inject
    GceAccount account;

    @Inject
    QuotaGate quotas;

    @Inject
    VmSimulator simulator;

    @POST
    @Path("zones/{zone}/instances")
    @Consumes(MediaType.WILDCARD)
    public Response insert(@PathParam("project") String project, @PathParam("zone") String zone,
                           @QueryParam("requestId") String requestId, byte[] body) {
        return answer(() -> {
            JsonNode json = jsonBody(body);
            account.authorizeInsert(project, zone, json);
            return api.insert(project, zone, requestId, json);
        });
    }

    @GET
    @Path("zones/{zone}/instances")
    public Response list(@PathParam("project") String project, @PathParam("zone") String zone,
                         @QueryParam("filter") String filter, @QueryParam("maxResults") Integer maxResults,
                         @QueryParam("pageToken") String pageToken) {
        return guarded("compute.instances.list", "projects/" + project + "/zones/" + zone, () -> api.list(project, zone, filter, maxResults, pageToken));
    }

    @GET
    @Path("zones/{zone}/instances/{name}")
    public Response get(@PathParam("project") String project, @PathParam("zone") String zone,
                        @PathParam("name") String name) {
        return guarded("compute.instances.get", instance(project, zone, name), () -> api.get(project, zone, name));
    }

    @DELETE
    @Path("zones/{zone}/instances/{name}")
    public Response delete(@PathParam("project") String project, @PathParam("zone") String zone,
                           @PathParam("name") String name, @QueryParam("requestId") String requestId) {
        return guarded("compute.instances.delete", instance(project, zone, name), () -> api.delete(project, zone, name, requestId));
    }

    @POST
    @Path("zones/{zone}/instances/{name}/setMetadata")
    @Consumes(MediaType.WILDCARD)
    public Response setMetadata(@PathParam("project") String project, @PathParam("zone") String zone,
                                @PathParam("name") String name, @QueryParam("requestId") String requestId,
                                byte[] body) {
        return guarded("compute.instances.setMetadata", instance(project, zone, name), () -> api.setMetadata(project, zone, name, requestId, jsonBody(body)));
    }

    @GET
    @Path("zones/{zone}/instances/{name}/serialPort")
    public Response serialPort(@PathParam("project") String project, @PathParam("zone") String zone,
                               @PathParam("name") String name, @QueryParam("port") Integer port,
                               @QueryParam("start") Long start) {
        return guarded("compute.instances.getSerialPortOutput", instance(project, zone, name), () -> api.serialPort(project, zone, name, port, start));
    }

    @GET
    @Path("aggregated/instances")
    public Response aggregated(@PathParam("project") String project, @QueryParam("filter") String filter,
                               @QueryParam("maxResults") Integer maxResults, @QueryParam("pageToken") String pageToken) {
        return guarded("compute.instances.list", "projects/" + project, () -> api.aggregatedList(project, filter, maxResults, pageToken));
    }

    @GET
    @Path("zones/{zone}/acceleratorTypes")
    public Response acceleratorTypes(@PathParam("project") String project, @PathParam("zone") String zone) {
        return guarded("compute.acceleratorTypes.list", "projects/" + project + "/zones/" + zone, () -> api.acceleratorTypes(project, zone));
    }

    @GET
    @Path("zones/{zone}/acceleratorTypes/{name}")
    public Response acceleratorType(@PathParam("project") String project, @PathParam("zone") String zone,
                                    @PathParam("name") String name) {
        return guarded("compute.acceleratorTypes.get", "projects/" + project + "/zones/" + zone + "/acceleratorTypes/" + name, () -> api.acceleratorType(project, zone, name));
    }

    @GET
    @Path("zones/{zone}/disks/{name}")
    public Response disk(@PathParam("project") String project, @PathParam("zone") String zone,
                         @PathParam("name") String name) {
        return guarded("compute.disks.get", "projects/" + project + "/zones/" + zone + "/disks/" + name, () -> api.disk(project, zone, name));
    }

    @GET
    @Path("zones/{zone}/operations")
    public Response operations(@PathParam("project") String project, @PathParam("zone") String zone,
                               @QueryParam("filter") String filter, @QueryParam("maxResults") Integer maxResults,
                               @QueryParam("pageToken") String pageToken) {
        return guarded("compute.zoneOperations.list", "projects/" + project + "/zones/" + zone, () -> api.listOperations(project, zone, filter, maxResults, pageToken));
    }

    @GET
    @Path("zones/{zone}/operations/{operation}")
    public Response operation(@PathParam("project") String project, @PathParam("zone") String zone,
                              @PathParam("operation") String operation) {
        return guarded("compute.zoneOperations.get", "projects/" + project + "/zones/" + zone + "/operations/" + operation, () -> api.getOperation(project, zone, operation));
    }

    @POST
    @Path("zones/{zone}/operations/{operation}/wait")
    @Consumes(MediaType.WILDCARD)
    public Response waitFor(@PathParam("project") String project, @PathParam("zone") String zone,
                            @PathParam("operation") String operation) {
        return guarded("compute.zoneOperations.get", "projects/" + project + "/zones/" + zone + "/operations/" + operation, () -> api.waitOperation(project, zone, operation));
    }

    @GET
    @Path("regions/{region}")
    public Response region(@PathParam("project") String project, @PathParam("region") String region) {
        return guarded("compute.regions.get", "projects/" + project + "/regions/" + region,
                () -> GceRegions.region(project, region, quotas.usage(Cloud.GCP, region,
                        simulator.list(v -> v.state().alive()))));
    }

    /** regions.list: every region in one page (Compute Engine's are fewer than its 500 default). */
    @GET
    @Path("regions")
    public Response regions(@PathParam("project") String project) {
        return guarded("compute.regions.list", "projects/" + project, () -> {
            var alive = simulator.list(v -> v.state().alive());
            ObjectNode list = JSON.createObjectNode().put("kind", "compute#regionList")
                    .put("id", "projects/" + project + "/regions")
                    .put("selfLink", GceApi.BASE + "projects/" + project + "/regions");
            ArrayNode items = list.putArray("items");
            for (String r : GceRegions.names()) items.add(GceRegions.region(project, r, quotas.usage(Cloud.GCP, r, alive)));
            return list;
        });
    }

    /** networks.get: the {@code default} network unless the account misses it; any other name is 404. */
    @GET
    @Path("global/networks/{network}")
    public Response network(@PathParam("project") String project, @PathParam("network") String network) {
        String resource = "projects/" + project + "/global/networks/" + network;
        return guarded("compute.networks.get", resource, () -> {
            if (!account.networkExists(network)) throw GceError.notFound(resource);
            return GceRegions.defaultNetwork(project);
        });
    }

    private Response guarded(String permission, String resource, Supplier<JsonNode> call) {
        return answer(() -> {
            account.authorize(permission, resource);
            return call.get();
        });
    }

    private static String instance(String project, String zone, String name) {
        return "projects/" + project + "/zones/" + zone + "/instances/" + name;
    }

    /** The request body as JSON (null when empty), or GCE's 400 for one that does not parse. */
    private static JsonNode jsonBody(byte[] body) {
        if (body == null || body.length == 0) return null;
        try {
            return JSON.readTree(body);
        } catch (java.io.IOException e) {
            throw GceError.invalid("Invalid JSON payload received. " + e.getMessage());
        }
    }

    private static Response answer(Supplier<JsonNode> call) {
        try {
            return Response.ok(call.get(), MediaType.APPLICATION_JSON_TYPE).build();
        } catch (GceError e) {
            return Response.status(e.status()).type(MediaType.APPLICATION_JSON_TYPE).entity(e.body()).build();
        }
    }
}

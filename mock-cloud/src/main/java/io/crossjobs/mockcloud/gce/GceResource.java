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

import io.smallrye.common.annotation.Blocking;

/** Compute Engine's REST paths under {@code /compute/v1/projects/{project}}, as google-cloud-compute calls them. */
@Path("/compute/v1/projects/{project}")
@Produces(MediaType.APPLICATION_JSON)
@Blocking
public class GceResource {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    GceApi api;

    @POST
    @Path("zones/{zone}/instances")
    @Consumes(MediaType.WILDCARD)
    public Response insert(@PathParam("project") String project, @PathParam("zone") String zone,
                           @QueryParam("requestId") String requestId, byte[] body) {
        return answer(() -> api.insert(project, zone, requestId, jsonBody(body)));
    }

    @GET
    @Path("zones/{zone}/instances")
    public Response list(@PathParam("project") String project, @PathParam("zone") String zone,
                         @QueryParam("filter") String filter, @QueryParam("maxResults") Integer maxResults,
                         @QueryParam("pageToken") String pageToken) {
        return answer(() -> api.list(project, zone, filter, maxResults, pageToken));
    }

    @GET
    @Path("zones/{zone}/instances/{name}")
    public Response get(@PathParam("project") String project, @PathParam("zone") String zone,
                        @PathParam("name") String name) {
        return answer(() -> api.get(project, zone, name));
    }

    @DELETE
    @Path("zones/{zone}/instances/{name}")
    public Response delete(@PathParam("project") String project, @PathParam("zone") String zone,
                           @PathParam("name") String name, @QueryParam("requestId") String requestId) {
        return answer(() -> api.delete(project, zone, name, requestId));
    }

    @POST
    @Path("zones/{zone}/instances/{name}/setMetadata")
    @Consumes(MediaType.WILDCARD)
    public Response setMetadata(@PathParam("project") String project, @PathParam("zone") String zone,
                                @PathParam("name") String name, @QueryParam("requestId") String requestId,
                                byte[] body) {
        return answer(() -> api.setMetadata(project, zone, name, requestId, jsonBody(body)));
    }

    @GET
    @Path("zones/{zone}/instances/{name}/serialPort")
    public Response serialPort(@PathParam("project") String project, @PathParam("zone") String zone,
                               @PathParam("name") String name, @QueryParam("port") Integer port,
                               @QueryParam("start") Long start) {
        return answer(() -> api.serialPort(project, zone, name, port, start));
    }

    @GET
    @Path("aggregated/instances")
    public Response aggregated(@PathParam("project") String project, @QueryParam("filter") String filter,
                               @QueryParam("maxResults") Integer maxResults, @QueryParam("pageToken") String pageToken) {
        return answer(() -> api.aggregatedList(project, filter, maxResults, pageToken));
    }

    @GET
    @Path("zones/{zone}/acceleratorTypes")
    public Response acceleratorTypes(@PathParam("project") String project, @PathParam("zone") String zone) {
        return answer(() -> api.acceleratorTypes(project, zone));
    }

    @GET
    @Path("zones/{zone}/acceleratorTypes/{name}")
    public Response acceleratorType(@PathParam("project") String project, @PathParam("zone") String zone,
                                    @PathParam("name") String name) {
        return answer(() -> api.acceleratorType(project, zone, name));
    }

    @GET
    @Path("zones/{zone}/disks/{name}")
    public Response disk(@PathParam("project") String project, @PathParam("zone") String zone,
                         @PathParam("name") String name) {
        return answer(() -> api.disk(project, zone, name));
    }

    @GET
    @Path("zones/{zone}/operations")
    public Response operations(@PathParam("project") String project, @PathParam("zone") String zone,
                               @QueryParam("filter") String filter, @QueryParam("maxResults") Integer maxResults,
                               @QueryParam("pageToken") String pageToken) {
        return answer(() -> api.listOperations(project, zone, filter, maxResults, pageToken));
    }

    @GET
    @Path("zones/{zone}/operations/{operation}")
    public Response operation(@PathParam("project") String project, @PathParam("zone") String zone,
                              @PathParam("operation") String operation) {
        return answer(() -> api.getOperation(project, zone, operation));
    }

    @POST
    @Path("zones/{zone}/operations/{operation}/wait")
    @Consumes(MediaType.WILDCARD)
    public Response waitFor(@PathParam("project") String project, @PathParam("zone") String zone,
                            @PathParam("operation") String operation) {
        return answer(() -> api.waitOperation(project, zone, operation));
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

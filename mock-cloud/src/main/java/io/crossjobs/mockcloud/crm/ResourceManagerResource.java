package io.crossjobs.mockcloud.crm;

import java.util.regex.Pattern;

import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.crossjobs.mockcloud.account.Accounts;
import io.crossjobs.mockcloud.gce.GceError;
import io.crossjobs.mockcloud.sim.Cloud;
import io.smallrye.common.annotation.Blocking;

/**
 * Cloud Resource Manager v1 {@code projects.testIamPermissions}
 * (cloud.google.com/resource-manager/reference/rest/v1/projects/testIamPermissions):
 * {@code POST /v1/projects/{project}:testIamPermissions {"permissions":[...]}} answers the subset the caller holds,
 * {@code {}} when none. The call itself needs no permission; a revoked credential is 401 as on every Google API,
 * a permission with a wildcard is 400 {@code INVALID_ARGUMENT}. Every well-formed permission is held unless the
 * mock account denies it ({@code PUT /mock/account/gcp {"deniedPermissions":[...]}}).
 */
@Path("/v1/projects")
@Produces(MediaType.APPLICATION_JSON)
@Blocking
public class ResourceManagerResource {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String METHOD = ":testIamPermissions";
    private static final Pattern PERMISSION = Pattern.compile("[a-zA-Z0-9]+(\\.[a-zA-Z0-9]+){2,}");

    @Inject
    Accounts accounts;

    @POST
    @Path("{call}")
    @Consumes(MediaType.WILDCARD)
    public Response call(@PathParam("call") String call, byte[] body) {
        try {
            if (!call.endsWith(METHOD) || call.length() == METHOD.length()) {
                throw new GceError(404, "notFound", "The requested URL was not found on this server.");
            }
            if (accounts.credentialsRevoked(Cloud.GCP)) throw GceError.unauthenticated();
            return Response.ok(testIamPermissions(body)).build();
        } catch (GceError e) {
            return Response.status(e.status()).type(MediaType.APPLICATION_JSON_TYPE).entity(e.body()).build();
        }
    }

    private ObjectNode testIamPermissions(byte[] body) {
        JsonNode request;
        try {
            request = body == null || body.length == 0 ? JSON.createObjectNode() : JSON.readTree(body);
        } catch (java.io.IOException e) {
            throw new GceError(400, "badRequest", "Invalid JSON payload received. " + e.getMessage());
        }
        ObjectNode out = JSON.createObjectNode();
        ArrayNode granted = JSON.createArrayNode();
        for (JsonNode p : request.path("permissions")) {
            String permission = p.asText();
            if (permission.contains("*")) {
                throw new GceError(400, "badRequest", "Permissions ('" + permission + "') for resource contain "
                        + "wildcards, which are not allowed.");
            }
            if (!PERMISSION.matcher(permission).matches()) {
                throw new GceError(400, "badRequest", "Permission " + permission + " is not valid.");
            }
            if (!accounts.denied(Cloud.GCP, permission)) granted.add(permission);
        }
        if (!granted.isEmpty()) out.set("permissions", granted);
        return out;
    }
}

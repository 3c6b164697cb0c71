package io.crossjobs.mockcloud.account;

import io.crossjobs.mockcloud.sim.Cloud;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Breaks the mock account the way real accounts are broken, for {@code crossjobs check} and the provisioners:
 * {@code PUT /mock/account/aws {"credentialsRevoked":true}}, {@code {"deniedPermissions":["ec2:RunInstances"]}},
 * {@code {"missing":["default-vpc:us-east-1"]}}; a PUT replaces that cloud's whole state.
 */
@Path("/mock/account")
@Produces(MediaType.APPLICATION_JSON)
public class AccountResource {

    @Inject
    Accounts accounts;

    @GET
    public List<AccountState.View> all() {
        return Arrays.stream(Cloud.values()).map(c -> AccountState.View.of(c.id(), accounts.of(c))).toList();
    }

    @GET
    @Path("{cloud}")
    public Response one(@PathParam("cloud") String cloud) {
        try {
            Cloud c = Cloud.of(cloud);
            return Response.ok(AccountState.View.of(c.id(), accounts.of(c))).build();
        } catch (IllegalArgumentException e) {
            return Response.status(400).entity(Map.of("error", e.getMessage())).build();
        }
    }

    @PUT
    @Path("{cloud}")
    @Consumes(MediaType.APPLICATION_JSON)
    public Response set(@PathParam("cloud") String cloud, AccountState state) {
        try {
            Cloud c = Cloud.of(cloud);
            AccountState s = state == null ? AccountState.HEALTHY : state;
            accounts.set(c, s);
            return Response.ok(AccountState.View.of(c.id(), s)).build();
        } catch (IllegalArgumentException e) {
            return Response.status(400).entity(Map.of("error", e.getMessage())).build();
        }
    }

    /** Every cloud's account back to healthy. */
    @DELETE
    public void clear() {
        accounts.clear();
    }
}

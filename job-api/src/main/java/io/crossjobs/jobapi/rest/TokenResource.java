package io.crossjobs.jobapi.rest;

import io.crossjobs.jobapi.model.CreateTokenRequest;
import io.crossjobs.jobapi.model.TokenView;
import io.crossjobs.jobapi.service.ApiTokens;
import io.crossjobs.jobapi.service.Caller;
import io.crossjobs.jobapi.service.Callers;
import io.crossjobs.jobapi.service.ForbiddenException;
import io.crossjobs.jobapi.service.JobIds;
import io.crossjobs.jobapi.service.NotFoundException;
import io.smallrye.mutiny.Uni;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.util.List;

/** API tokens; admins only. A token's value is returned once, by the POST that creates it. */
@Path("/tokens")
@Produces(MediaType.APPLICATION_JSON)
public class TokenResource {
    private final ApiTokens tokens;
    private final Callers callers;

    public TokenResource(ApiTokens tokens, Callers callers) {
        this.tokens = tokens;
        this.callers = callers;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Uni<Response> create(@NotNull(message = "a JSON body {\"user\": ...} is required") @Valid
                                CreateTokenRequest body) {
        Caller admin = admin();
        return tokens.create(body.user(), Boolean.TRUE.equals(body.admin()), admin)
                .map(t -> Response.status(Response.Status.CREATED).entity(t).build());
    }

    @GET
    public Uni<List<TokenView>> list() {
        admin();
        return tokens.list();
    }

    /** 204 when revoked; 404 when there is no such active token. */
    @DELETE
    @Path("/{id}")
    public Uni<Response> revoke(@PathParam("id") String id) {
        Caller admin = admin();
        long tokenId = JobIds.parse(id).orElseThrow(() -> new NotFoundException("token " + id + " not found"));
        return tokens.revoke(tokenId, admin).map(revoked -> {
            if (!revoked) throw new NotFoundException("token " + id + " not found");
            return Response.noContent().build();
        });
    }

    private Caller admin() {
        Caller caller = callers.caller();
        if (!caller.admin()) throw new ForbiddenException("only an admin token may manage tokens");
        return caller;
    }
}

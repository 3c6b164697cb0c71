package io.crossjobs.jobapi.client;

import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

/** controller-service's own API (documented in its README); job-api forwards these calls verbatim. */
@RegisterRestClient(configKey = "controller")
public interface ControllerClient {

    @GET
    @Path("/controller")
    Uni<Response> controller();

    @POST
    @Path("/controller/migrate")
    @Consumes(MediaType.APPLICATION_JSON)
    Uni<Response> migrate(String body);

    @GET
    @Path("/cost")
    Uni<Response> cost();
}

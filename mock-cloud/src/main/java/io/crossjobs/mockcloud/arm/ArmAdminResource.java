package io.crossjobs.mockcloud.arm;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.Map;

import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/** Where the ARM front end listens and the certificate to trust, on the plain-http admin port. */
@Path("/mock/arm")
public class ArmAdminResource {

    @Inject
    ArmServer server;

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public Map<String, Object> info() {
        return Map.of("httpsPort", server.port(),
                "endpoint", "https://127.0.0.1:" + server.port() + "/",
                "certificatePem", server.certificate().certificatePem().toString(),
                "keyStore", server.certificate().keyStore().toString());
    }

    @GET
    @Path("certificate")
    @Produces("application/x-pem-file")
    public String certificate() {
        try {
            return Files.readString(server.certificate().certificatePem());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

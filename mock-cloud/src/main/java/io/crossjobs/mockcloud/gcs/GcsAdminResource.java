package io.crossjobs.mockcloud.gcs;

import java.util.Map;

import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/**
 * Where the Cloud Storage front end listens and which service account key signs for it, on the admin port:
 * {@code GET /mock/gcs}.
 */
@Path("/mock/gcs")
public class GcsAdminResource {

    @Inject
    GcsServer server;

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public Map<String, Object> info() {
        return Map.of("port", server.port(), "endpoint", "http://127.0.0.1:" + server.port(),
                "serviceAccount", server.serviceAccountKey().email(),
                "keyFile", server.serviceAccountKey().file().toString());
    }
}

package io.crossjobs.mockcloud.s3;

import java.util.Map;

import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/** Where the S3 front end listens, on the admin port: {@code GET /mock/s3}. */
@Path("/mock/s3")
public class S3AdminResource {

    @Inject
    S3Server server;

    @Inject
    S3Config config;

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public Map<String, Object> info() {
        return Map.of("port", server.port(), "endpoint", "http://127.0.0.1:" + server.port(),
                "accessKeyId", config.accessKeyId());
    }
}

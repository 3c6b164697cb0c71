package io.crossjobs.mockcloud.blob;

import java.util.Map;

import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/**
 * Where the Blob Storage front end listens, on the admin port: {@code GET /mock/blob} gives the port, the account's
 * endpoint (what the SDK's {@code endpoint(...)} takes), the account name and its key (a fixed test value).
 */
@Path("/mock/blob")
public class BlobAdminResource {

    @Inject
    BlobServer server;

    @Inject
    BlobConfig config;

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public Map<String, Object> info() {
        return Map.of("port", server.port(),
                "endpoint", "http://127.0.0.1:" + server.port() + "/" + config.accountName(),
                "accountName", config.accountName(), "accountKey", config.accountKey());
    }
}

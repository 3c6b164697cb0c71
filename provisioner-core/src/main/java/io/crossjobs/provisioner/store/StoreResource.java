package io.crossjobs.provisioner.store;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.crossjobs.events.InternalAuth;
import io.crossjobs.events.SecretSealer;
import io.crossjobs.events.SignedRequest;
import io.crossjobs.events.StoreClient;
import io.crossjobs.provisioner.CloudProvisioner;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The internal object-store API of this provisioner (job-events {@link StoreClient} is its client): only this service
 * holds its cloud's credentials, so job-api and the other provisioners come here to have crossjobs' store made, an
 * object request signed, or a bucket listed. Every request must be signed with the secrets key ({@link InternalAuth});
 * signed requests leave sealed with it.
 */
@Path(StoreClient.PATH)
@Consumes(MediaType.WILDCARD)
@Produces(MediaType.APPLICATION_JSON)
public class StoreResource {
    private static final Logger LOG = Logger.getLogger(StoreResource.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    /** S3's and GCS's longest signature; a node fetches right after boot, so a staging signature is far shorter. */
    static final Duration MAX_VALIDITY = Duration.ofDays(7);
    private static final List<String> METHODS = List.of("GET", "PUT", "DELETE");

    private final CloudProvisioner cloud;
    private final Optional<InternalAuth> auth;
    private final Optional<SecretSealer> sealer;

    public StoreResource(CloudProvisioner cloud, @ConfigProperty(name = "crossjobs.secrets.key") Optional<String> key) {
        this.cloud = cloud;
        Optional<String> configured = key.filter(k -> !k.isBlank());
        this.auth = configured.map(k -> new InternalAuth(k, Clock.systemUTC()));
        this.sealer = configured.map(SecretSealer::fromBase64Key);
    }

    @POST
    @Path("/ensure")
    public Response ensure(@HeaderParam(InternalAuth.HEADER) String signature, byte[] body) {
        return guarded(signature, "POST", "/ensure", body, () -> ok(new StoreClient.Store(cloud.ensureStore())));
    }

    @POST
    @Path("/sign")
    public Response sign(@HeaderParam(InternalAuth.HEADER) String signature, byte[] body) {
        return guarded(signature, "POST", "/sign", body, () -> {
            StoreClient.SignBatch batch = read(body, StoreClient.SignBatch.class);
            if (batch.method() == null || !METHODS.contains(batch.method())) {
                return problem(400, "method must be one of " + METHODS + ", was " + batch.method());
            }
            Duration validity = Duration.ofSeconds(batch.validitySeconds());
            if (validity.isNegative() || validity.isZero() || validity.compareTo(MAX_VALIDITY) > 0) {
                return problem(400, "validitySeconds must be between 1 and " + MAX_VALIDITY.toSeconds());
            }
            List<SignedRequest> signed = new ArrayList<>();
            for (String uri : batch.uris() == null ? List.<String>of() : batch.uris()) {
                if (!cloud.ownsStorageUri(uri)) {
                    return problem(400, "'" + uri + "' is not an object of " + cloud.cloud() + "'s object storage");
                }
                signed.add(cloud.sign(batch.method(), uri, validity));
            }
            String plain = write(new StoreClient.Signed(signed));
            return Response.ok(sealer.orElseThrow().seal(plain), MediaType.TEXT_PLAIN).build();
        });
    }

    @POST
    @Path("/list")
    public Response list(@HeaderParam(InternalAuth.HEADER) String signature, byte[] body) {
        return guarded(signature, "POST", "/list", body, () -> {
            StoreClient.ListRequest request = read(body, StoreClient.ListRequest.class);
            if (request.uri() == null || !cloud.ownsStorageUri(request.uri())) {
                return problem(400, "'" + request.uri() + "' is not a prefix of " + cloud.cloud()
                        + "'s object storage");
            }
            if (request.max() < 1) return problem(400, "max must be at least 1");
            return ok(new StoreClient.Listing(cloud.listObjects(request.uri(), request.max())));
        });
    }

    @DELETE
    public Response deleteStore(@HeaderParam(InternalAuth.HEADER) String signature, byte[] body) {
        return guarded(signature, "DELETE", "", body, () -> ok(Map.of("deleted", cloud.deleteStore())));
    }

    private Response guarded(String signature, String method, String path, byte[] body, Supplier<Response> action) {
        if (auth.isEmpty()) {
            return problem(503, "this provisioner has no crossjobs.secrets.key, so it serves no internal request");
        }
        if (!auth.get().verify(signature, method, StoreClient.PATH + path, body)) {
            return problem(401, "the request is not signed with the secrets key (header " + InternalAuth.HEADER
                    + "), or not within " + InternalAuth.SKEW.toMinutes() + " minutes of now");
        }
        try {
            return action.get();
        } catch (BadBody e) {
            return problem(400, e.getMessage());
        } catch (IllegalArgumentException e) {
            return problem(400, e.getMessage());
        } catch (RuntimeException e) {
            LOG.warnf(e, "store %s %s failed", method, path);
            return problem(502, cloud.cloud() + "'s object storage failed: " + cloud.classify(e));
        }
    }

    private static Response ok(Object entity) {
        return Response.ok(entity, MediaType.APPLICATION_JSON).build();
    }

    private static Response problem(int status, String message) {
        return Response.status(status).type(MediaType.TEXT_PLAIN).entity(message).build();
    }

    private static <T> T read(byte[] body, Class<T> type) {
        try {
            return JSON.readValue(body, type);
        } catch (IOException e) {
            throw new BadBody("the body is not a " + type.getSimpleName() + ": " + e.getMessage());
        }
    }

    private static final class BadBody extends RuntimeException {
        BadBody(String message) {
            super(message);
        }
    }

    private static String write(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}

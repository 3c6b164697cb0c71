package io.crossjobs.mockcloud.imds;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;

import io.crossjobs.mockcloud.ec2.Ec2Api;
import io.crossjobs.mockcloud.gce.GceApi;
import io.crossjobs.mockcloud.sim.Cloud;
import io.crossjobs.mockcloud.sim.VmSimulator;
import io.crossjobs.mockcloud.sim.VmView;

/**
 * Each VM's own metadata service. Real VMs reach it at a link-local address; mock VMs are local processes, so
 * each gets {@code MOCK_CLOUD_METADATA_URL=<this path>/<instance id>} and the cloud's paths below it:
 * <ul>
 * <li>EC2 IMDS: {@code PUT /latest/api/token} (IMDSv2 session token), {@code GET /latest/meta-data/tags/instance}
 * and {@code .../tags/instance/<key>} (only when the instance was launched with InstanceMetadataTags=enabled);
 * a token is optional (httpTokens=optional) but checked when sent.</li>
 * <li>GCE metadata server: {@code GET /computeMetadata/v1/instance/attributes/<key>} with
 * {@code Metadata-Flavor: Google}.</li>
 * <li>Azure IMDS: {@code GET /metadata/instance/compute/tagsList?api-version=...} with {@code Metadata: true}.</li>
 * </ul>
 */
@Path(MetadataResource.PATH + "/{id}")
public class MetadataResource {
    public static final String PATH = "/imds";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Map<String, Token> TOKENS = new ConcurrentHashMap<>();

    private record Token(String instanceId, Instant expires) { }

    @Inject
    VmSimulator sim;

    @Inject
    GceApi gce;

    // ---------------------------------------------------------------- EC2

    @PUT
    @Path("latest/api/token")
    public Response ec2Token(@PathParam("id") String id,
                             @HeaderParam("X-aws-ec2-metadata-token-ttl-seconds") String ttl) {
        if (vm(id, Cloud.AWS).isEmpty()) return notFound();
        long seconds;
        try {
            seconds = Long.parseLong(ttl == null ? "" : ttl.trim());
        } catch (NumberFormatException e) {
            seconds = -1;
        }
        if (seconds < 1 || seconds > 21600) return Response.status(400).build();
        byte[] raw = new byte[32];
        RANDOM.nextBytes(raw);
        String token = Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
        TOKENS.put(token, new Token(id, clock().instant().plusSeconds(seconds)));
        return text(token).header("X-aws-ec2-metadata-token-ttl-seconds", Long.toString(seconds)).build();
    }

    @GET
    @Path("latest/meta-data/tags/instance")
    public Response ec2TagKeys(@PathParam("id") String id, @HeaderParam("X-aws-ec2-metadata-token") String token) {
        return ec2Tags(id, token, null);
    }

    @GET
    @Path("latest/meta-data/tags/instance/{key}")
    public Response ec2Tag(@PathParam("id") String id, @PathParam("key") String key,
                           @HeaderParam("X-aws-ec2-metadata-token") String token) {
        return ec2Tags(id, token, key);
    }

    private Response ec2Tags(String id, String token, String key) {
        Optional<VmView> vm = vm(id, Cloud.AWS);
        if (vm.isEmpty()) return notFound();
        if (token != null) {
            Token known = TOKENS.get(token);
            if (known == null || !known.instanceId().equals(id) || known.expires().isBefore(clock().instant())) {
                return Response.status(401).build();
            }
        }
        if (!"enabled".equals(vm.get().attributes().get(Ec2Api.ATTR_METADATA_TAGS))) return notFound();
        if (key == null) return text(String.join("\n", vm.get().tags().keySet())).build();
        String value = vm.get().tags().get(key);
        return value == null ? notFound() : text(value).build();
    }

    // ---------------------------------------------------------------- GCE

    @GET
    @Path("computeMetadata/v1/instance/attributes/{key}")
    public Response gceAttribute(@PathParam("id") String id, @PathParam("key") String key,
                                 @HeaderParam("Metadata-Flavor") String flavor) {
        Optional<VmView> vm = vm(id, Cloud.GCP);
        if (vm.isEmpty()) return notFound();
        if (!"Google".equals(flavor)) {
            return Response.status(403).type(MediaType.TEXT_HTML).entity("Missing Metadata-Flavor:Google header.")
                    .build();
        }
        return gce.metadataItem(vm.get(), key).map(v -> text(v).header("Metadata-Flavor", "Google").build())
                .orElseGet(MetadataResource::notFound);
    }

    // ---------------------------------------------------------------- Azure

    @GET
    @Path("metadata/instance/compute/tagsList")
    public Response azureTags(@PathParam("id") String id, @HeaderParam("Metadata") String metadata,
                              @QueryParam("api-version") String apiVersion) {
        Optional<VmView> vm = vm(id, Cloud.AZURE);
        if (vm.isEmpty()) return notFound();
        if (!"true".equalsIgnoreCase(metadata)) {
            return azureError("Bad request. Required metadata header not specified");
        }
        if (apiVersion == null || apiVersion.isBlank()) {
            return azureError("Bad request. api-version was not specified in the request.");
        }
        ArrayNode tags = JSON.createArrayNode();
        vm.get().tags().forEach((k, v) -> tags.addObject().put("name", k).put("value", v));
        return Response.ok(tags.toString(), MediaType.APPLICATION_JSON_TYPE).build();
    }

    // ---------------------------------------------------------------- internals

    /** Only a VM that is up has a reachable metadata service. */
    private Optional<VmView> vm(String id, Cloud cloud) {
        return sim.get(id).filter(v -> v.cloud() == cloud && v.state().alive());
    }

    private Clock clock() {
        return sim.clock();
    }

    private static Response.ResponseBuilder text(String body) {
        return Response.ok(body, MediaType.TEXT_PLAIN_TYPE);
    }

    private static Response notFound() {
        return Response.status(404).type(MediaType.TEXT_PLAIN_TYPE).entity("Not Found").build();
    }

    private static Response azureError(String message) {
        return Response.status(400).type(MediaType.APPLICATION_JSON_TYPE)
                .entity(JSON.createObjectNode().put("error", message).toString()).build();
    }
}

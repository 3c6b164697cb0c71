package io.crossjobs.mockcloud.objects;

import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import io.crossjobs.mockcloud.sim.Cloud;
import io.smallrye.common.annotation.Blocking;

/** Test view of the object store: {@code GET /mock/objects?cloud=aws[&bucket=]}, {@code POST /mock/objects/reset}. */
@Path("/mock/objects")
@Produces(MediaType.APPLICATION_JSON)
@Blocking
public class ObjectsAdminResource {

    @Inject
    ObjectStore store;

    public record ObjectItem(String key, long size, String etag, String md5, String contentType,
                             Map<String, String> userMetadata, long generation, String created) { }

    public record BucketItem(String cloud, String name, String location, String created, List<ObjectItem> objects) { }

    @GET
    public Response list(@QueryParam("cloud") String cloud, @QueryParam("bucket") String bucket) {
        Cloud c;
        try {
            c = Cloud.of(cloud == null ? "" : cloud);
        } catch (IllegalArgumentException e) {
            return Response.status(400).entity(Map.of("error", e.getMessage())).build();
        }
        List<BucketItem> items = store.snapshot(c).entrySet().stream()
                .filter(e -> bucket == null || bucket.equals(e.getKey().name()))
                .sorted(Map.Entry.comparingByKey(Comparator.comparing(Bucket::name, Utf8Order.COMPARATOR)))
                .map(e -> new BucketItem(c.id(), e.getKey().name(), e.getKey().location(),
                        e.getKey().created().toString(), e.getValue().stream().map(o -> new ObjectItem(o.key(),
                                o.size(), o.etag(), o.md5() == null ? null : ObjectStore.hex(o.md5()),
                                o.contentType(), o.userMetadata(), o.generation(), o.created().toString()))
                        .toList()))
                .toList();
        return Response.ok(items).build();
    }

    /** Forgets every bucket and object of every cloud, and the front ends' unfinished uploads. */
    @POST
    @Path("reset")
    public Map<String, String> reset() {
        store.reset();
        return new LinkedHashMap<>(Map.of("status", "reset"));
    }
}

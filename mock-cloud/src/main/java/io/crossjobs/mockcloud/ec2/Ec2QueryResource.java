package io.crossjobs.mockcloud.ec2;

import java.nio.charset.StandardCharsets;
import java.util.UUID;

import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import io.crossjobs.mockcloud.MockCloudConfig;
import io.smallrye.common.annotation.Blocking;

/**
 * EC2's endpoint: {@code POST /} with a form-encoded Query request (what the AWS SDKs send), or {@code GET /?...}.
 * A {@code POST /} with an {@code X-Amz-Target} header is a JSON-protocol call instead: SSM's
 * ({@code AmazonSSM.*}), so an SSM client pointed at this port works too. The region comes from the SigV4
 * credential scope.
 */
@Path("/")
public class Ec2QueryResource {
    private static final String XML = "text/xml;charset=UTF-8";

    @Inject
    Ec2Api api;

    @Inject
    SsmApi ssm;

    @Inject
    MockCloudConfig config;

    @POST
    @Consumes(MediaType.WILDCARD)
    @Blocking
    public Response post(byte[] body, @Context HttpHeaders headers, @Context UriInfo uri) {
        String text = body == null ? "" : new String(body, StandardCharsets.UTF_8);
        String target = headers.getHeaderString("X-Amz-Target");
        if (target != null && !target.isBlank()) return json(target.trim(), text, headers);
        return handle(text, headers, uri);
    }

    private Response json(String target, String body, HttpHeaders headers) {
        String region = SigV4.region(headers.getHeaderString(HttpHeaders.AUTHORIZATION), null,
                config.aws().defaultRegion());
        SsmApi.Response r = ssm.handle(region, target, body);
        return Response.status(r.status()).type(SsmApi.CONTENT_TYPE).header("x-amzn-RequestId", r.requestId())
                .entity(r.body()).build();
    }

    @GET
    @Blocking
    public Response get(@Context HttpHeaders headers, @Context UriInfo uri) {
        return handle("", headers, uri);
    }

    private Response handle(String body, HttpHeaders headers, UriInfo uri) {
        Ec2Response r;
        try {
            QueryParams params = QueryParams.parse(body).with(uri.getRequestUri().getRawQuery());
            String region = SigV4.region(headers.getHeaderString(HttpHeaders.AUTHORIZATION),
                    params.get("X-Amz-Credential"), config.aws().defaultRegion());
            r = api.handle(region, params);
        } catch (Ec2Error e) {
            String requestId = UUID.randomUUID().toString();
            r = new Ec2Response(e.status(), Ec2Xml.error(e.code(), e.getMessage(), requestId), requestId);
        }
        return Response.status(r.status()).type(XML).header("x-amzn-RequestId", r.requestId())
                .entity(r.body()).build();
    }
}

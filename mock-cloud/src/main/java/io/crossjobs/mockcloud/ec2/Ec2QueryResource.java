package io.crossjobs.mockcloud.ec2;

import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.UUID;

import jakarta.annotation.PostConstruct;
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
import io.crossjobs.mockcloud.account.AccountState;
import io.crossjobs.mockcloud.account.Accounts;
import io.crossjobs.mockcloud.quotas.QuotaGate;
import io.crossjobs.mockcloud.servicequotas.ServiceQuotasApi;
import io.crossjobs.mockcloud.sim.Cloud;
import io.crossjobs.mockcloud.sim.VmSimulator;
import io.crossjobs.mockcloud.sts.StsApi;
import io.smallrye.common.annotation.Blocking;

/**
 * EC2's endpoint: {@code POST /} with a form-encoded Query request (what the AWS SDKs send), or {@code GET /?...}.
 * The same port answers the other AWS APIs crossjobs calls, told apart as their endpoints would be: a
 * {@code POST /} with an {@code X-Amz-Target} header is a JSON-protocol call, Service Quotas'
 * ({@code ServiceQuotasV20190624.*}) or else SSM's ({@code AmazonSSM.*}); a Query request signed for service
 * {@code sts} is STS's. The region comes from the SigV4 credential scope; the account's state ({@link Accounts})
 * applies to all of them.
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

    @Inject
    Accounts accounts;

    @Inject
    VmSimulator simulator;

    @Inject
    QuotaGate quotaGate;

    private StsApi sts;
    private ServiceQuotasApi serviceQuotas;

    @PostConstruct
    void init() {
        String accountId = config.aws().accountId();
        sts = new StsApi(accountId);
        serviceQuotas = new ServiceQuotasApi(simulator, quotaGate, accountId, StsApi.principalArn(accountId));
    }

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
        AccountState account = accounts.of(Cloud.AWS);
        if (target.startsWith(ServiceQuotasApi.TARGET_PREFIX)) {
            ServiceQuotasApi.Answer a = serviceQuotas.handle(region, target, body, account);
            return jsonAnswer(a.status(), a.body(), a.requestId());
        }
        String operation = target.startsWith(SsmApi.TARGET_PREFIX) ? target.substring(SsmApi.TARGET_PREFIX.length())
                : target;
        Optional<AwsJsonAccount.Refusal> refused = AwsJsonAccount.refusal(account, "ssm:" + operation,
                StsApi.principalArn(config.aws().accountId()));
        if (refused.isPresent()) {
            AwsJsonAccount.Refusal r = refused.get();
            String error = "{\"__type\":\"" + r.type() + "\",\"message\":\"" + r.message().replace("\"", "\\\"") + "\"}";
            return jsonAnswer(r.status(), error, UUID.randomUUID().toString());
        }
        SsmApi.Response r = ssm.handle(region, target, body);
        return jsonAnswer(r.status(), r.body(), r.requestId());
    }

    private static Response jsonAnswer(int status, String body, String requestId) {
        return Response.status(status).type(SsmApi.CONTENT_TYPE).header("x-amzn-RequestId", requestId)
                .entity(body).build();
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
            String authorization = headers.getHeaderString(HttpHeaders.AUTHORIZATION);
            if ("sts".equals(SigV4.service(authorization))) {
                StsApi.Answer a = sts.handle(params.get("Action"), accounts.of(Cloud.AWS));
                return Response.status(a.status()).type(XML).header("x-amzn-RequestId", a.requestId())
                        .entity(a.body()).build();
            }
            String region = SigV4.region(authorization, params.get("X-Amz-Credential"), config.aws().defaultRegion());
            r = api.handle(region, params, accounts.of(Cloud.AWS));
        } catch (Ec2Error e) {
            String requestId = UUID.randomUUID().toString();
            r = new Ec2Response(e.status(), Ec2Xml.error(e.code(), e.getMessage(), requestId), requestId);
        }
        return Response.status(r.status()).type(XML).header("x-amzn-RequestId", r.requestId())
                .entity(r.body()).build();
    }
}

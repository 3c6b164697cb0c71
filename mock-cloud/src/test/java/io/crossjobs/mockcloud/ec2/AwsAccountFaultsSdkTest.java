package io.crossjobs.mockcloud.ec2;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletionException;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.crossjobs.mockcloud.account.AccountState;
import io.crossjobs.mockcloud.account.Accounts;
import io.crossjobs.mockcloud.limits.ApiRateLimiter;
import io.crossjobs.mockcloud.quotas.QuotaGate;
import io.crossjobs.mockcloud.quotas.QuotaOverride;
import io.crossjobs.mockcloud.sim.Cloud;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.http.async.SdkAsyncHttpClient;
import software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ec2.Ec2AsyncClient;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.ec2.model.Instance;
import software.amazon.awssdk.services.ec2.model.RunInstancesRequest;
import software.amazon.awssdk.services.ssm.SsmAsyncClient;
import software.amazon.awssdk.services.sts.StsAsyncClient;
import software.amazon.awssdk.services.sts.model.GetCallerIdentityResponse;

/**
 * What {@code crossjobs check} reads on AWS, with the real SDK: STS GetCallerIdentity, EC2 DescribeRegions,
 * DescribeVpcs and dry runs, Service Quotas GetServiceQuota (raw JSON 1.1: the SDK's module is not in the build's
 * repository), and each account fault answered as AWS answers it.
 */
@QuarkusTest
class AwsAccountFaultsSdkTest {
    private static final String UBUNTU = "/aws/service/canonical/ubuntu/server/22.04/stable/current/amd64/hvm/ebs-gp2/ami-id";

    @TestHTTPResource("/")
    URI endpoint;

    @Inject
    Accounts accounts;

    @Inject
    QuotaGate quotas;

    @Inject
    ApiRateLimiter limits;

    private static SdkAsyncHttpClient http;

    @BeforeAll
    static void httpClient() {
        http = NettyNioAsyncHttpClient.builder().build();
    }

    @AfterAll
    static void closeHttp() {
        http.close();
    }

    @BeforeEach
    void fullBuckets() {
        limits.reset();
    }

    @AfterEach
    void heal() {
        accounts.clear();
        quotas.reset();
    }

    private <B extends software.amazon.awssdk.awscore.client.builder.AwsClientBuilder<B, C>
            & software.amazon.awssdk.awscore.client.builder.AwsAsyncClientBuilder<B, C>, C> C client(B builder,
                                                                                                  Region region) {
        return builder.endpointOverride(endpoint).region(region).httpClient(http)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("mock", "mock")))
                // a second attempt only for a request lost on its way (once, in a full run, a pooled connection
                // came back "Request cancelled"); the errors asserted here are 4xx, which the SDK never retries
                .overrideConfiguration(o -> o.retryStrategy(r -> r.maxAttempts(2))).build();
    }

    private static AwsServiceException failure(Runnable call) {
        CompletionException e = assertThrows(CompletionException.class, call::run);
        if (e.getCause() instanceof AwsServiceException refused) return refused;
        throw new AssertionError("not the service's answer but " + e.getCause(), e.getCause());
    }

    private static void set(Accounts accounts, boolean revoked, Set<String> denied, Set<String> missing) {
        accounts.set(Cloud.AWS, new AccountState(revoked, denied, missing));
    }

    private String ubuntu(SsmAsyncClient ssm) {
        return ssm.getParameter(r -> r.name(UBUNTU)).join().parameter().value();
    }

    private static RunInstancesRequest.Builder run(String image) {
        return RunInstancesRequest.builder().imageId(image).instanceType("t3.micro").minCount(1).maxCount(1)
                .tagSpecifications(t -> t.resourceType("instance").tags(g -> g.key("managed-by").value("crossjobs")));
    }

    @Test
    void callerIdentityRegionsAndDefaultVpcsOfAHealthyAccount() {
        try (StsAsyncClient sts = client(StsAsyncClient.builder(), Region.US_EAST_1);
             Ec2AsyncClient ec2 = client(Ec2AsyncClient.builder(), Region.US_WEST_2)) {
            GetCallerIdentityResponse who = sts.getCallerIdentity().join();
            assertTrue(who.account().matches("\\d{12}"), who.account());
            assertEquals("arn:aws:iam::" + who.account() + ":user/crossjobs-provisioner", who.arn());

            var regions = ec2.describeRegions(r -> r.allRegions(true)).join().regions();
            assertTrue(regions.stream().anyMatch(r -> r.regionName().equals("eu-west-1")
                    && r.optInStatus().equals("opt-in-not-required")
                    && r.endpoint().equals("ec2.eu-west-1.amazonaws.com")), regions.toString());
            assertTrue(regions.stream().anyMatch(r -> r.regionName().equals("eu-south-2")
                    && r.optInStatus().equals("opted-in")), regions.toString());
            assertEquals("InvalidParameterValue", failure(() -> ec2.describeRegions(r -> r.regionNames("mars-1"))
                    .join()).awsErrorDetails().errorCode());

            var vpcs = ec2.describeVpcs(r -> r.filters(Filter.builder().name("is-default").values("true").build()))
                    .join().vpcs();
            assertEquals(1, vpcs.size());
            assertTrue(vpcs.get(0).isDefault());
            assertEquals("172.31.0.0/16", vpcs.get(0).cidrBlock());
            assertEquals(who.account(), vpcs.get(0).ownerId());
        }
    }

    @Test
    void aRevokedKeyIsRefusedByEveryAwsApiWithItsOwnError() {
        try (StsAsyncClient sts = client(StsAsyncClient.builder(), Region.US_EAST_1);
             Ec2AsyncClient ec2 = client(Ec2AsyncClient.builder(), Region.US_EAST_1);
             SsmAsyncClient ssm = client(SsmAsyncClient.builder(), Region.US_EAST_1)) {
            set(accounts, true, Set.of(), Set.of());

            AwsServiceException e = failure(() -> sts.getCallerIdentity().join());
            assertEquals(403, e.statusCode());
            assertEquals("InvalidClientTokenId", e.awsErrorDetails().errorCode());
            e = failure(() -> ec2.describeInstances().join());
            assertEquals(401, e.statusCode());
            assertEquals("AuthFailure", e.awsErrorDetails().errorCode());
            e = failure(() -> ec2.describeRegions().join());
            assertEquals("AuthFailure", e.awsErrorDetails().errorCode());
            e = failure(() -> ssm.getParameter(r -> r.name(UBUNTU)).join());
            assertEquals(400, e.statusCode());
            assertEquals("UnrecognizedClientException", e.awsErrorDetails().errorCode());
            QuotaAnswer revoked = quota("us-east-1", "L-1216C47A");
            assertEquals(400, revoked.status());
            assertEquals("UnrecognizedClientException", revoked.type());
        }
    }

    @Test
    void aDeniedActionIsUnauthorizedAndItsDryRunSaysSo() {
        try (Ec2AsyncClient ec2 = client(Ec2AsyncClient.builder(), Region.US_EAST_1);
             SsmAsyncClient ssm = client(SsmAsyncClient.builder(), Region.US_EAST_1)) {
            String image = ubuntu(ssm);
            assertEquals("DryRunOperation", failure(() -> ec2.runInstances(run(image).dryRun(true).build()).join())
                    .awsErrorDetails().errorCode());

            set(accounts, false, Set.of("ec2:RunInstances"), Set.of());
            AwsServiceException e = failure(() -> ec2.runInstances(run(image).dryRun(true).build()).join());
            assertEquals(403, e.statusCode());
            assertEquals("UnauthorizedOperation", e.awsErrorDetails().errorCode());
            assertTrue(e.awsErrorDetails().errorMessage().contains("Encoded authorization failure message: "),
                    e.awsErrorDetails().errorMessage());
            assertEquals("UnauthorizedOperation", failure(() -> ec2.runInstances(run(image).build()).join())
                    .awsErrorDetails().errorCode());
            assertEquals("DryRunOperation", failure(() -> ec2.describeInstances(r -> r.dryRun(true)).join())
                    .awsErrorDetails().errorCode());

            // tagging at launch needs ec2:CreateTags as well: the tagged dry run is refused, the untagged one is not
            set(accounts, false, Set.of("ec2:CreateTags"), Set.of());
            assertEquals("UnauthorizedOperation", failure(() -> ec2.runInstances(run(image).dryRun(true).build())
                    .join()).awsErrorDetails().errorCode());
            assertEquals("DryRunOperation", failure(() -> ec2.runInstances(run(image).tagSpecifications(List.of())
                    .dryRun(true).build()).join()).awsErrorDetails().errorCode());

            set(accounts, false, Set.of("ssm:GetParameter", "servicequotas:GetServiceQuota"), Set.of());
            AwsServiceException denied = failure(() -> ssm.getParameter(r -> r.name(UBUNTU)).join());
            assertEquals("AccessDeniedException", denied.awsErrorDetails().errorCode());
            assertTrue(denied.awsErrorDetails().errorMessage().contains("is not authorized to perform: ssm:GetParameter"));
            QuotaAnswer refused = quota("us-east-1", "L-1216C47A");
            assertEquals(400, refused.status());
            assertEquals("AccessDeniedException", refused.type());
        }
    }

    @Test
    void withoutADefaultVpcALaunchFailsAsEc2FailsIt() {
        try (Ec2AsyncClient ec2 = client(Ec2AsyncClient.builder(), Region.US_EAST_1);
             Ec2AsyncClient west = client(Ec2AsyncClient.builder(), Region.US_WEST_2);
             SsmAsyncClient ssm = client(SsmAsyncClient.builder(), Region.US_EAST_1)) {
            String image = ubuntu(ssm);
            set(accounts, false, Set.of(), Set.of("default-vpc:us-east-1"));

            Filter isDefault = Filter.builder().name("is-default").values("true").build();
            assertEquals(List.of(), ec2.describeVpcs(r -> r.filters(isDefault)).join().vpcs());
            assertEquals(1, west.describeVpcs(r -> r.filters(isDefault)).join().vpcs().size(), "only us-east-1 lacks it");
            String job = "no-vpc-" + java.util.UUID.randomUUID();
            RunInstancesRequest launch = run(image).tagSpecifications(t -> t.resourceType("instance")
                    .tags(g -> g.key("crossjobs-job-id").value(job))).build();
            AwsServiceException e = failure(() -> ec2.runInstances(launch).join());
            assertEquals(400, e.statusCode());
            assertEquals("VPCIdNotSpecified", e.awsErrorDetails().errorCode());
            assertEquals(0, ec2.describeInstances(r -> r.filters(Filter.builder().name("tag:crossjobs-job-id")
                    .values(job).build())).join().reservations().size(), "nothing launched");
            // naming a subnet does not need the default VPC; a dry run answers for permissions only
            assertEquals("DryRunOperation", failure(() -> ec2.runInstances(launch.toBuilder().dryRun(true).build())
                    .join()).awsErrorDetails().errorCode());
        }
    }

    @Test
    void serviceQuotasAnswersTheAppliedVcpuQuotaAndInstancesTellTheirCpus() {
        QuotaAnswer applied = quota("eu-west-1", "L-1216C47A");
        assertEquals(200, applied.status(), applied.json().toString());
        assertEquals(1000.0, applied.value());
        assertEquals("L-1216C47A", applied.json().path("Quota").path("QuotaCode").asText());
        assertEquals("ec2", applied.json().path("Quota").path("ServiceCode").asText());
        quotas.set(new QuotaOverride(Cloud.AWS, "eu-west-1", "L-1216C47A", 12));
        assertEquals(12.0, quota("eu-west-1", "L-1216C47A").value());
        assertEquals(1000.0, quota("us-east-1", "L-1216C47A").value(), "an increase is per region");
        assertEquals("NoSuchResourceException", quota("eu-west-1", "L-NOPE").type());
        // a quota never raised (the GPU groups, 0 as in a new account) has no applied value, only AWS's default
        assertEquals("NoSuchResourceException", quota("eu-west-1", "L-DB2E81BA").type());
        assertEquals(0.0, quota("eu-west-1", "L-DB2E81BA", "GetAWSDefaultServiceQuota").value());
        assertEquals(5.0, quota("eu-west-1", "L-1216C47A", "GetAWSDefaultServiceQuota").value(),
                "the default does not reflect the increase");

        try (Ec2AsyncClient ec2 = client(Ec2AsyncClient.builder(), Region.US_EAST_1);
             SsmAsyncClient ssm = client(SsmAsyncClient.builder(), Region.US_EAST_1)) {
            String job = "cpu-" + java.util.UUID.randomUUID();
            Instance i = ec2.runInstances(run(ubuntu(ssm)).instanceType("m5.2xlarge").tagSpecifications(t -> t
                    .resourceType("instance").tags(g -> g.key("crossjobs-job-id").value(job))).build()).join()
                    .instances().get(0);
            try {
                // 8 vCPUs: 4 cores of 2 threads
                assertEquals(4, i.cpuOptions().coreCount());
                assertEquals(2, i.cpuOptions().threadsPerCore());
            } finally {
                ec2.terminateInstances(r -> r.instanceIds(i.instanceId())).join();
            }
        }
    }

    private record QuotaAnswer(int status, com.fasterxml.jackson.databind.JsonNode json) {
        String type() { return json.path("__type").asText(); }
        double value() { return json.path("Quota").path("Value").asDouble(); }
    }

    private QuotaAnswer quota(String region, String code) {
        return quota(region, code, "GetServiceQuota");
    }

    private QuotaAnswer quota(String region, String code, String operation) {
        io.restassured.response.Response r = given().baseUri(endpoint.toString())
                .config(io.restassured.RestAssured.config().encoderConfig(io.restassured.config.EncoderConfig
                        .encoderConfig().encodeContentTypeAs("application/x-amz-json-1.1",
                                io.restassured.http.ContentType.TEXT)))
                .header("X-Amz-Target", "ServiceQuotasV20190624." + operation)
                .header("Authorization", "AWS4-HMAC-SHA256 Credential=mock/20260101/" + region
                        + "/servicequotas/aws4_request, SignedHeaders=host;x-amz-date, Signature=00")
                .contentType("application/x-amz-json-1.1")
                .body("{\"ServiceCode\":\"ec2\",\"QuotaCode\":\"" + code + "\"}")
                .post("/");
        try {
            return new QuotaAnswer(r.statusCode(), new com.fasterxml.jackson.databind.ObjectMapper().readTree(r.asString()));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}

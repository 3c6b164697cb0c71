package io.crossjobs.mockcloud.ec2;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletionException;
import java.util.stream.Collectors;

import io.crossjobs.mockcloud.limits.ApiRateLimiter;
import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.crossjobs.mockcloud.admin.ArmedFaults;
import io.crossjobs.mockcloud.admin.FaultsFileLoader;
import io.crossjobs.mockcloud.sim.FaultRule;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.async.SdkAsyncHttpClient;
import software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ec2.Ec2AsyncClient;
import software.amazon.awssdk.services.ec2.model.DescribeInstancesResponse;
import software.amazon.awssdk.services.ec2.model.Ec2Exception;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.ec2.model.Instance;
import software.amazon.awssdk.services.ec2.model.InstanceLifecycleType;
import software.amazon.awssdk.services.ec2.model.InstanceStateName;
import software.amazon.awssdk.services.ec2.model.InstanceStateChange;
import software.amazon.awssdk.services.ec2.model.InstanceType;
import software.amazon.awssdk.services.ec2.model.MarketType;

import software.amazon.awssdk.services.ec2.model.ResourceType;
import software.amazon.awssdk.services.ec2.model.RunInstancesRequest;
import software.amazon.awssdk.services.ec2.model.RunInstancesResponse;
import software.amazon.awssdk.services.ec2.model.Tag;
import software.amazon.awssdk.services.ec2.model.TagSpecification;

/** The real AWS SDK v2 (async, Netty) against mock-cloud's EC2 endpoint, end to end. */
@QuarkusTest
class Ec2SdkTest {
    private static final Duration WAIT = Duration.ofSeconds(30);

    @TestHTTPResource("/")
    URI endpoint;

    @Inject
    FaultsFileLoader faultsFile;

    @Inject
    ApiRateLimiter limits;

    private static SdkAsyncHttpClient http;

    private final ArmedFaults faults = new ArmedFaults();

    /** EC2's request buckets are full at each test's start, as on an account nothing else calls. */
    @BeforeEach
    void fullBuckets() {
        limits.reset();
    }

    @AfterEach
    void disarmFaults() {
        faults.disarm();
    }

    @BeforeAll
    static void httpClient() {
        http = NettyNioAsyncHttpClient.builder().build();
    }

    @AfterAll
    static void closeHttp() {
        http.close();
    }

    private Ec2AsyncClient client(Region region, boolean retries) {
        return Ec2AsyncClient.builder()
                .endpointOverride(endpoint)
                .region(region)
                .credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create("AKIDMOCKCLOUD", "mock-secret")))
                .httpClient(http)
                .overrideConfiguration(o -> {
                    if (!retries) o.retryStrategy(b -> b.maxAttempts(1));
                })
                .build();
    }

    private Ec2AsyncClient ec2() {
        return client(Region.US_EAST_1, true);
    }

    private static String jobId() {
        return "job-" + UUID.randomUUID();
    }

    private static TagSpecification tags(String job) {
        return TagSpecification.builder().resourceType(ResourceType.INSTANCE)
                .tags(Tag.builder().key("crossjobs-job-id").value(job).build(),
                        Tag.builder().key("managed-by").value("crossjobs").build())
                .build();
    }

    private static String base64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    /** A t3.micro booting us-east-1's Ubuntu image (AMI ids are regional: see {@link #ubuntu}). */
    private static RunInstancesRequest.Builder run(String job) {
        return RunInstancesRequest.builder().imageId(ubuntu(Region.US_EAST_1)).instanceType(InstanceType.T3_MICRO)
                .minCount(1).maxCount(1).tagSpecifications(tags(job));
    }

    /** The id of the built-in Ubuntu 22.04 amd64 image in {@code region}. */
    static String ubuntu(Region region) {
        return Ec2Images.builtIn().byParameter(region.id(), Ec2Images.UBUNTU_2204_AMD64).orElseThrow().id();
    }

    private List<Instance> byJob(Ec2AsyncClient ec2, String job) {
        DescribeInstancesResponse r = ec2.describeInstances(b -> b.filters(
                Filter.builder().name("tag:crossjobs-job-id").values(job).build())).join();
        return r.reservations().stream().flatMap(res -> res.instances().stream()).toList();
    }

    private Instance describe(Ec2AsyncClient ec2, String id) {
        return ec2.describeInstances(b -> b.instanceIds(id)).join().reservations().get(0).instances().get(0);
    }

    private String console(Ec2AsyncClient ec2, String id) {
        String output = ec2.getConsoleOutput(b -> b.instanceId(id).latest(true)).join().output();
        return output == null ? "" : new String(Base64.getDecoder().decode(output), StandardCharsets.UTF_8);
    }

    private static Ec2Exception ec2Error(Runnable call) {
        CompletionException e = assertThrows(CompletionException.class, call::run);
        assertTrue(e.getCause() instanceof Ec2Exception, String.valueOf(e.getCause()));
        return (Ec2Exception) e.getCause();
    }

    // ---------------------------------------------------------------- tests

    @Test
    void runDescribeByTagAndReadTheConsole() {
        try (Ec2AsyncClient ec2 = ec2()) {
            String job = jobId();
            RunInstancesResponse run = ec2.runInstances(run(job)
                    .userData(base64("#!/bin/bash\necho hello\necho \"from $MOCK_CLOUD_INSTANCE_ID\"\n")).build())
                    .join();
            assertEquals(1, run.instances().size());
            Instance launched = run.instances().get(0);
            String id = launched.instanceId();
            assertTrue(id.matches("i-[0-9a-f]{17}"), id);
            assertTrue(run.reservationId().startsWith("r-"));
            assertEquals(InstanceStateName.PENDING, launched.state().name());
            assertEquals(0, launched.state().code());
            assertEquals("us-east-1a", launched.placement().availabilityZone());
            assertEquals(InstanceType.T3_MICRO, launched.instanceType());
            assertNotNull(launched.launchTime());

            await().atMost(WAIT).until(() -> byJob(ec2, job).get(0).state().name() == InstanceStateName.RUNNING);
            Instance running = byJob(ec2, job).get(0);
            assertEquals(id, running.instanceId());
            assertEquals(16, running.state().code());
            assertNull(running.stateReason());
            assertTrue(running.privateIpAddress().matches("10\\.\\d+\\.\\d+\\.\\d+"));
            Map<String, String> tags = running.tags().stream().collect(Collectors.toMap(Tag::key, Tag::value));
            assertEquals(Map.of("crossjobs-job-id", job, "managed-by", "crossjobs"), tags);
            assertNull(running.instanceLifecycle());

            await().atMost(WAIT).until(() -> console(ec2, id).contains("from " + id));
            assertTrue(console(ec2, id).startsWith("hello\n"), console(ec2, id));
            // the instance keeps running after its script ended
            assertEquals(InstanceStateName.RUNNING, describe(ec2, id).state().name());
            ec2.terminateInstances(b -> b.instanceIds(id)).join();
        }
    }

    @Test
    void aClientTokenReplayCreatesNothingNew() {
        try (Ec2AsyncClient ec2 = ec2()) {
            String job = jobId();
            String token = UUID.randomUUID().toString();
            RunInstancesResponse first = ec2.runInstances(run(job).clientToken(token).maxCount(2).build()).join();
            RunInstancesResponse again = ec2.runInstances(run(job).clientToken(token).maxCount(2).build()).join();
            assertEquals(first.reservationId(), again.reservationId());
            assertEquals(first.instances().stream().map(Instance::instanceId).toList(),
                    again.instances().stream().map(Instance::instanceId).toList());
            assertEquals(2, byJob(ec2, job).size());
            assertEquals(token, byJob(ec2, job).get(0).clientToken());

            Ec2Exception mismatch = ec2Error(() -> ec2.runInstances(run(job).clientToken(token).maxCount(3).build())
                    .join());
            assertEquals("IdempotentParameterMismatch", mismatch.awsErrorDetails().errorCode());
            assertEquals(400, mismatch.statusCode());
            assertEquals(2, byJob(ec2, job).size());

            ec2.terminateInstances(b -> b.instanceIds(first.instances().stream().map(Instance::instanceId).toList()))
                    .join();
        }
    }

    @Test
    void terminateGoesToTerminated() {
        try (Ec2AsyncClient ec2 = ec2()) {
            String job = jobId();
            String id = ec2.runInstances(run(job).build()).join().instances().get(0).instanceId();
            await().atMost(WAIT).until(() -> describe(ec2, id).state().name() == InstanceStateName.RUNNING);

            List<InstanceStateChange> changes = ec2.terminateInstances(b -> b.instanceIds(id)).join()
                    .terminatingInstances();
            assertEquals(1, changes.size());
            assertEquals(id, changes.get(0).instanceId());
            assertEquals(InstanceStateName.RUNNING, changes.get(0).previousState().name());
            assertEquals(InstanceStateName.SHUTTING_DOWN, changes.get(0).currentState().name());

            await().atMost(WAIT).until(() -> describe(ec2, id).state().name() == InstanceStateName.TERMINATED);
            Instance gone = describe(ec2, id);
            assertEquals(48, gone.state().code());
            assertEquals("Client.UserInitiatedShutdown", gone.stateReason().code());
            // still listed by tag, as terminated
            assertEquals(InstanceStateName.TERMINATED, byJob(ec2, job).get(0).state().name());

            InstanceStateChange again = ec2.terminateInstances(b -> b.instanceIds(id)).join()
                    .terminatingInstances().get(0);
            assertEquals(InstanceStateName.TERMINATED, again.previousState().name());
            assertEquals(InstanceStateName.TERMINATED, again.currentState().name());
        }
    }

    @Test
    void runInstancesBeyondEc2sBucketIsThrottledAndTheSdksRetriesGetThrough() {
        try (Ec2AsyncClient noRetry = client(Region.US_EAST_1, false); Ec2AsyncClient ec2 = ec2()) {
            String job = jobId();
            // the bucket holds 5 and refills 2 a second: launches are admitted until it is empty, however slowly
            // this machine sends them, then the next one is refused
            long start = System.nanoTime();
            int admitted = 0;
            Ec2Exception e = null;
            while (e == null && admitted < 50) {
                try {
                    noRetry.runInstances(run(job).build()).join();
                    admitted++;
                } catch (CompletionException refused) {
                    e = (Ec2Exception) refused.getCause();
                }
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            assertNotNull(e, "50 launches in a row, none throttled");
            assertEquals("RequestLimitExceeded", e.awsErrorDetails().errorCode());
            assertEquals(503, e.statusCode());
            assertTrue(admitted >= 5, "a full bucket admits 5 launches, admitted " + admitted);
            assertTrue(admitted <= 5 + Math.ceil(2 * seconds),
                    "admitted " + admitted + " launches in " + seconds + " s: more than 5 and 2 a second");
            // the SDK's standard retries back off until a refilled token is there
            ec2.runInstances(run(job).build()).join();
            assertEquals(admitted + 1, byJob(ec2, job).size(), "nothing for the refused one, then 1 more");
            given().get("/mock/api-calls").then().statusCode(200)
                    .body("find { it.cloud == 'aws' && it.action == 'RunInstances' }.throttled",
                            org.hamcrest.Matchers.greaterThanOrEqualTo(1));
        }
    }

    @Test
    void anInjectedCapacityFaultIsAnEc2Exception() {
        try (Ec2AsyncClient noRetry = client(Region.US_EAST_1, false); Ec2AsyncClient ec2 = ec2()) {
            String job = jobId();
            String faultId = faults.arm("{\"cloud\":\"aws\",\"region\":\"us-east-1\",\"zone\":null,"
                            + "\"instanceType\":\"c5.xlarge\",\"action\":\"RunInstances\",\"count\":1,"
                            + "\"errorCode\":\"InsufficientInstanceCapacity\",\"httpStatus\":500,"
                            + "\"message\":\"no c5.xlarge for you\"}")
                    .body("remaining", equalTo(1)).extract().path("id");
            // by id: the faults file of %test may have armed others (for a region this test does not use)
            given().get("/mock/faults").then().statusCode(200).body("id", hasItem(faultId));

            // another instance type is not affected
            ec2.runInstances(run(job).build()).join();
            Ec2Exception e = ec2Error(() -> noRetry.runInstances(run(job).instanceType(InstanceType.C5_XLARGE)
                    .build()).join());
            assertEquals("InsufficientInstanceCapacity", e.awsErrorDetails().errorCode());
            assertEquals("no c5.xlarge for you", e.awsErrorDetails().errorMessage());
            assertEquals(500, e.statusCode());
            assertNotNull(e.requestId());
            given().get("/mock/faults").then().statusCode(200).body("id", not(hasItem(faultId)));
            // count was 1: the next launch works
            noRetry.runInstances(run(job).instanceType(InstanceType.C5_XLARGE).build()).join();

            // with the SDK's retries the fault has to outlast every attempt; the SDK's 3 attempts after the 3
            // launches above would need a 6th token of the bucket's 5, so it is refilled: what answers them is the
            // fault, not the request limit, however fast the launches came
            faults.arm("{\"cloud\":\"aws\",\"action\":\"RunInstances\",\"count\":20,"
                    + "\"errorCode\":\"InsufficientInstanceCapacity\"}").body("httpStatus", equalTo(500));
            limits.reset();
            Ec2Exception retried = ec2Error(() -> ec2.runInstances(run(job).build()).join());
            assertEquals("InsufficientInstanceCapacity", retried.awsErrorDetails().errorCode());
            faults.disarm();

            assertEquals(2, byJob(ec2, job).size());
            ec2.terminateInstances(b -> b.instanceIds(byJob(ec2, job).stream().map(Instance::instanceId).toList()))
                    .join();
        }
    }

    @Test
    void aPreemptedSpotInstanceShowsTheSpotReason() {
        try (Ec2AsyncClient ec2 = ec2()) {
            String job = jobId();
            String id = ec2.runInstances(run(job)
                    .instanceMarketOptions(m -> m.marketType(MarketType.SPOT))
                    .userData(base64("#!/bin/bash\nsleep 300\n")).build()).join().instances().get(0).instanceId();
            await().atMost(WAIT).until(() -> describe(ec2, id).state().name() == InstanceStateName.RUNNING);
            assertEquals(InstanceLifecycleType.SPOT, describe(ec2, id).instanceLifecycle());

            given().post("/mock/instances/" + id + "/preempt").then().statusCode(202)
                    .body("state", equalTo("shutting-down"))
                    .body("stateReasonCode", equalTo("Server.SpotInstanceTermination"));
            // shutting-down lasts the %test shutdown-delay (300 ms): a busy machine may describe it terminated already
            Instance preempted = describe(ec2, id);
            assertTrue(List.of(InstanceStateName.SHUTTING_DOWN, InstanceStateName.TERMINATED)
                    .contains(preempted.state().name()), preempted.state().toString());
            assertEquals("Server.SpotInstanceTermination", preempted.stateReason().code());
            assertTrue(preempted.stateReason().message().startsWith("Server.SpotInstanceTermination"));
            await().atMost(WAIT).until(() -> describe(ec2, id).state().name() == InstanceStateName.TERMINATED);
            assertEquals("Server.SpotInstanceTermination", describe(ec2, id).stateReason().code());

            given().post("/mock/instances/" + id + "/preempt").then().statusCode(409);
            given().post("/mock/instances/i-0123456789abcdef0/preempt").then().statusCode(404);
        }
    }

    @Test
    void aDelayedPreemption() {
        try (Ec2AsyncClient ec2 = ec2()) {
            String id = ec2.runInstances(run(jobId()).instanceMarketOptions(m -> m.marketType(MarketType.SPOT))
                    .build()).join().instances().get(0).instanceId();
            given().queryParam("afterMs", 1500).post("/mock/instances/" + id + "/preempt").then().statusCode(202)
                    .body("state", equalTo("pending"));
            await().atMost(WAIT).until(() -> describe(ec2, id).state().name() == InstanceStateName.RUNNING);
            await().atMost(WAIT).until(() -> describe(ec2, id).state().name() == InstanceStateName.TERMINATED);
            assertEquals("Server.SpotInstanceTermination", describe(ec2, id).stateReason().code());
        }
    }

    @Test
    void describePaginatesWithMaxResults() {
        try (Ec2AsyncClient ec2 = ec2()) {
            String job = jobId();
            List<String> ids = ec2.runInstances(run(job).minCount(7).maxCount(7).build()).join().instances().stream()
                    .map(Instance::instanceId).toList();
            assertEquals(7, ids.size());
            Filter byJob = Filter.builder().name("tag:crossjobs-job-id").values(job).build();

            DescribeInstancesResponse first = ec2.describeInstances(b -> b.filters(byJob).maxResults(5)).join();
            assertEquals(5, first.reservations().stream().mapToInt(r -> r.instances().size()).sum());
            assertNotNull(first.nextToken());
            DescribeInstancesResponse second = ec2.describeInstances(b -> b.filters(byJob).maxResults(5)
                    .nextToken(first.nextToken())).join();
            assertEquals(2, second.reservations().stream().mapToInt(r -> r.instances().size()).sum());
            assertNull(second.nextToken());

            List<String> paged = new ArrayList<>();
            ec2.describeInstancesPaginator(b -> b.filters(byJob).maxResults(5))
                    .subscribe(page -> page.reservations().forEach(r -> r.instances()
                            .forEach(i -> paged.add(i.instanceId())))).join();
            assertEquals(ids, paged);

            Ec2Exception tooSmall = ec2Error(() -> ec2.describeInstances(b -> b.maxResults(2)).join());
            assertEquals("InvalidParameterValue", tooSmall.awsErrorDetails().errorCode());
            ec2.terminateInstances(b -> b.instanceIds(ids)).join();
        }
    }

    @Test
    void errorsAsTheSdkSeesThem() {
        try (Ec2AsyncClient ec2 = ec2()) {
            Ec2Exception notFound = ec2Error(() -> ec2.describeInstances(b -> b.instanceIds("i-0123456789abcdef0"))
                    .join());
            assertEquals("InvalidInstanceID.NotFound", notFound.awsErrorDetails().errorCode());
            assertEquals(400, notFound.statusCode());
            assertEquals("The instance ID 'i-0123456789abcdef0' does not exist",
                    notFound.awsErrorDetails().errorMessage());

            Ec2Exception badType = ec2Error(() -> ec2.runInstances(run(jobId()).instanceType("t3.mirco").build())
                    .join());
            assertEquals("InvalidParameterValue", badType.awsErrorDetails().errorCode());

            Ec2Exception terminate = ec2Error(() -> ec2.terminateInstances(b -> b.instanceIds("i-0123456789abcdef0"))
                    .join());
            assertEquals("InvalidInstanceID.NotFound", terminate.awsErrorDetails().errorCode());

            Ec2Exception console = ec2Error(() -> ec2.getConsoleOutput(b -> b.instanceId("i-0123456789abcdef0"))
                    .join());
            assertEquals("InvalidInstanceID.NotFound", console.awsErrorDetails().errorCode());

            Ec2Exception unsupported = ec2Error(() -> ec2.describeSecurityGroups().join());
            assertEquals("InvalidAction", unsupported.awsErrorDetails().errorCode());
        }
    }

    @Test
    void regionsAreSeparate() {
        try (Ec2AsyncClient east = ec2(); Ec2AsyncClient west = client(Region.US_WEST_2, true)) {
            String job = jobId();
            String id = west.runInstances(run(job).imageId(ubuntu(Region.US_WEST_2)).build()).join().instances().get(0)
                    .instanceId();
            assertEquals("us-west-2a", describe(west, id).placement().availabilityZone());
            assertTrue(byJob(east, job).isEmpty());
            Ec2Exception e = ec2Error(() -> east.describeInstances(b -> b.instanceIds(id)).join());
            assertEquals("InvalidInstanceID.NotFound", e.awsErrorDetails().errorCode());
            given().queryParam("region", "us-west-2").get("/mock/inventory").then().statusCode(200)
                    .body("findAll { it.id == '" + id + "' }.size()", equalTo(1))
                    .body("find { it.id == '" + id + "' }.cloud", equalTo("aws"))
                    .body("find { it.id == '" + id + "' }.tags.crossjobs-job-id", equalTo(job));
            west.terminateInstances(b -> b.instanceIds(id)).join();
        }
    }

    @Test
    void inventoryShowsWhatIsAlive() {
        try (Ec2AsyncClient ec2 = ec2()) {
            String job = jobId();
            List<String> ids = ec2.runInstances(run(job).maxCount(2).build()).join().instances().stream()
                    .map(Instance::instanceId).toList();
            ec2.terminateInstances(b -> b.instanceIds(ids.get(0))).join();
            List<Map<String, Object>> alive = given().queryParam("alive", true).get("/mock/inventory")
                    .then().statusCode(200).extract().jsonPath().getList("$");
            List<Object> aliveIds = alive.stream().map(m -> m.get("id")).toList();
            assertFalse(aliveIds.contains(ids.get(0)));
            assertTrue(aliveIds.contains(ids.get(1)));
            List<Map<String, Object>> all = given().get("/mock/inventory").then().statusCode(200)
                    .extract().jsonPath().getList("$");
            assertTrue(all.stream().anyMatch(m -> m.get("id").equals(ids.get(0))
                    && List.of("shutting-down", "terminated").contains(m.get("state"))));
            Map<String, Object> one = all.stream().filter(m -> m.get("id").equals(ids.get(1))).findFirst()
                    .orElseThrow();
            assertEquals("us-east-1", one.get("region"));
            assertEquals("us-east-1a", one.get("zone"));
            assertEquals(false, one.get("spot"));
            ec2.terminateInstances(b -> b.instanceIds(ids.get(1))).join();
        }
    }

    @Test
    void adminConsoleAndValidation() {
        try (Ec2AsyncClient ec2 = ec2()) {
            String id = ec2.runInstances(run(jobId()).userData(base64("#!/bin/bash\necho plain-text\n")).build())
                    .join().instances().get(0).instanceId();
            await().atMost(WAIT).until(() -> given().get("/mock/instances/" + id + "/console").asString()
                    .contains("plain-text"));
            given().get("/mock/instances/" + id).then().statusCode(200).body("id", equalTo(id));
            given().get("/mock/instances/i-0123456789abcdef0/console").then().statusCode(404);
            given().contentType(ContentType.JSON).body("{\"count\":1}").post("/mock/faults").then().statusCode(400);
            given().queryParam("cloud", "ibm").get("/mock/inventory").then().statusCode(400);
            given().get("/q/health/ready").then().statusCode(200);
            ec2.terminateInstances(b -> b.instanceIds(id)).join();
        }
    }

    @Test
    void anInjectedDelaySlowsTheMatchingCallThenAnswersOrFails() {
        Region region = Region.of("eu-south-2");
        try (Ec2AsyncClient noRetry = client(region, false)) {
            String slow = faults.arm("{\"cloud\":\"aws\",\"region\":\"eu-south-2\",\"action\":\"DescribeInstances\","
                            + "\"delayMs\":700}").body("delayMs", equalTo(700))
                    .body("errorCode", equalTo(null)).extract().path("id");
            long start = System.nanoTime();
            DescribeInstancesResponse answer = noRetry.describeInstances(b -> { }).join();
            assertTrue(Duration.ofNanos(System.nanoTime() - start).toMillis() >= 700, "answered before the delay");
            assertTrue(answer.reservations().isEmpty());
            given().get("/mock/faults").then().statusCode(200).body("id", not(hasItem(slow)));

            faults.arm("{\"cloud\":\"aws\",\"region\":\"eu-south-2\",\"delayMs\":400,"
                    + "\"errorCode\":\"InsufficientInstanceCapacity\"}");
            long launched = System.nanoTime();
            Ec2Exception e = ec2Error(() -> noRetry.runInstances(run(jobId()).imageId(ubuntu(region)).build()).join());
            assertTrue(Duration.ofNanos(System.nanoTime() - launched).toMillis() >= 400, "failed before the delay");
            assertEquals("InsufficientInstanceCapacity", e.awsErrorDetails().errorCode());

            given().contentType(ContentType.JSON).body("{\"delayMs\":-5}").post("/mock/faults").then()
                    .statusCode(400).body("error", org.hamcrest.Matchers.containsString("delayMs"));
        }
    }

    @Test
    void theFaultsFileIsArmedAtStart() {
        List<FaultRule> loaded = faultsFile.loaded();
        assertEquals(2, loaded.size());
        assertEquals("InsufficientInstanceCapacity", loaded.get(0).errorCode());
        assertEquals("armed from the faults file", loaded.get(0).message());
        assertEquals("ap-southeast-5", loaded.get(0).region());
        assertEquals(50, loaded.get(0).remaining());
        assertEquals("DescribeInstances", loaded.get(1).action());
        assertEquals(250, loaded.get(1).delayMs());
        assertNull(loaded.get(1).errorCode());
    }
}

package io.crossjobs.mockcloud.limits;

import io.crossjobs.mockcloud.sim.Cloud;
import io.crossjobs.mockcloud.sim.MutableClock;
import io.crossjobs.mockcloud.sim.SimulatedFault;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.EnumSet;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Each cloud's documented limits, counted on a clock the test moves. */
class ApiRateLimiterTest {
    private final MutableClock clock = new MutableClock();
    private final ApiRateLimiter limiter = new ApiRateLimiter(clock, EnumSet.allOf(Cloud.class));

    @Test
    void ec2RunInstancesHasABucketOfFiveRefilledTwoASecond() {
        ApiCall run = ApiCall.of(Cloud.AWS, "us-east-1", "RunInstances");
        for (int i = 0; i < 5; i++) assertNull(limiter.admit(run), "call " + (i + 1));

        SimulatedFault refused = limiter.admit(run);
        assertNotNull(refused);
        assertEquals("RequestLimitExceeded", refused.errorCode());
        assertEquals(503, refused.httpStatus());
        assertNull(limiter.admit(ApiCall.of(Cloud.AWS, "eu-west-1", "RunInstances")), "another region's bucket");
        assertNull(limiter.admit(ApiCall.of(Cloud.AWS, "us-east-1", "DescribeInstances")), "another action's");

        clock.advance(Duration.ofMillis(500));
        assertNull(limiter.admit(run), "one token back after half a second");
        assertNotNull(limiter.admit(run));
    }

    @Test
    void ec2CountsLaunchedInstancesInTheirOwnBucket() {
        assertNull(limiter.admit(ApiCall.of(Cloud.AWS, "us-east-1", "RunInstances").units(1000)));
        SimulatedFault refused = limiter.admit(ApiCall.of(Cloud.AWS, "us-east-1", "RunInstances").units(1));
        assertNotNull(refused, "the request bucket has room, the instance bucket has none");
        clock.advance(Duration.ofSeconds(1));
        assertNull(limiter.admit(ApiCall.of(Cloud.AWS, "us-east-1", "RunInstances").units(2)));
    }

    @Test
    void ec2UnfilteredDescribesHaveTheSmallerBucket() {
        ApiCall unfiltered = ApiCall.of(Cloud.AWS, "us-east-1", Ec2RateRules.UNFILTERED_DESCRIBE);
        for (int i = 0; i < 50; i++) assertNull(limiter.admit(unfiltered));
        assertNotNull(limiter.admit(unfiltered));
        for (int i = 0; i < 100; i++) assertNull(limiter.admit(ApiCall.of(Cloud.AWS, "us-east-1", "DescribeInstances")));
        assertNotNull(limiter.admit(ApiCall.of(Cloud.AWS, "us-east-1", "DescribeInstances")));
    }

    @Test
    void gceCountsPerMinuteAndRefillsAtTheNextWholeMinute() {
        clock.advance(Duration.ofSeconds(15));     // 12:00:15
        ApiCall get = ApiCall.of(Cloud.GCP, "us-central1", "instances.get");
        for (int i = 0; i < GceRateRules.PER_MINUTE; i++) assertNull(limiter.admit(get));

        SimulatedFault refused = limiter.admit(get);
        assertNotNull(refused);
        assertEquals("rateLimitExceeded", refused.errorCode());
        assertEquals(403, refused.httpStatus());
        assertTrue(refused.getMessage().contains("'Read requests per minute per region'"), refused.getMessage());
        assertNull(limiter.admit(ApiCall.of(Cloud.GCP, "us-central1", "instances.insert")), "writes are apart");

        clock.advance(Duration.ofSeconds(44));
        assertNotNull(limiter.admit(get), "12:00:59 is still the same window");
        clock.advance(Duration.ofSeconds(1));
        assertNull(limiter.admit(get), "12:01:00 starts a new one");
    }

    @Test
    void azureLimitsEachVmsGetsAndTellsWhenToComeBack() {
        ApiCall get = ApiCall.of(Cloud.AZURE, "eastus", "virtualMachines.retrieveBootDiagnosticsData").on("vm-1");
        for (int i = 0; i < 36; i++) assertNull(limiter.admit(get), "call " + (i + 1));

        SimulatedFault refused = limiter.admit(get);
        assertNotNull(refused);
        assertEquals("OperationNotAllowed", refused.errorCode());
        assertEquals(429, refused.httpStatus());
        assertEquals(5L, refused.retryAfterSeconds(), "12 a minute: one per 5 s");
        assertNull(limiter.admit(get.on("vm-2")), "another VM has its own limit");
    }

    @Test
    void azureResourceManagerThrottlesTheSubscriptionsReadsFirst() {
        ApiCall list = ApiCall.of(Cloud.AZURE, "eastus", "virtualMachines.list");
        for (int i = 0; i < 250; i++) assertNull(limiter.admit(list));

        SimulatedFault refused = limiter.admit(list);
        assertNotNull(refused);
        assertEquals("SubscriptionRequestsThrottled", refused.errorCode());
        assertEquals(429, refused.httpStatus());
        assertEquals(1L, refused.retryAfterSeconds());
        assertEquals(1L, limiter.calls().stream().filter(c -> c.action().equals("virtualMachines.list")).findFirst()
                .orElseThrow().throttled());
    }

    @Test
    void aCloudWhoseLimitsAreOffAdmitsEverything() {
        ApiRateLimiter relaxed = new ApiRateLimiter(clock, Set.of(Cloud.GCP));
        for (int i = 0; i < 100; i++) {
            assertNull(relaxed.admit(ApiCall.of(Cloud.AWS, "us-east-1", "RunInstances")));
        }
    }
}

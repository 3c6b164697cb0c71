package io.crossjobs.controller.service;

import io.crossjobs.controller.model.BlockedScope;
import io.crossjobs.controller.model.PlacementPlan;
import io.crossjobs.events.BlockScope;
import io.crossjobs.events.Placement;
import io.crossjobs.events.Resources;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class OptimizerTest {
    private static final PriceCatalog CATALOG = PriceCatalog.fromClasspath(List.of("catalog/aws.csv"));
    private final Optimizer optimizer = new Optimizer(CATALOG);

    private static Resources resources(String cloud, String region, String zone, String type, String cpus,
                                       String memory, List<String> accelerators, Boolean spot) {
        return new Resources(cloud, region, zone, type, cpus, memory, accelerators, spot, null);
    }

    @Test
    void catalogCoversFourAwsRegionsWithRealInstanceTypes() {
        assertEquals(156, CATALOG.size());
        assertEquals(List.of("us-east-1", "us-east-2", "us-west-2", "eu-west-1"),
                CATALOG.offers().stream().map(o -> o.region()).distinct().toList());
        assertTrue(CATALOG.offers().stream().anyMatch(o -> o.instanceType().equals("g5.xlarge")
                && "A10G".equals(o.accelerator()) && o.acceleratorCount() == 1));
    }

    @Test
    void cheapestFirstAndTheReasonSaysWhy() {
        PlacementPlan plan = optimizer.plan(resources("aws", "us-east-1", null, null, "2", "8", null, null), List.of());

        Placement best = plan.cheapest().orElseThrow();
        assertEquals("t3.large", best.instanceType());
        assertEquals("us-east-1a", best.zone());   // equal prices keep catalog order
        assertEquals(0.0832, best.pricePerHour());
        assertFalse(best.spot());
        // t3.large and m6i.large in three zones
        assertEquals("cheapest of 6 candidates: aws/us-east-1/us-east-1a t3.large on-demand $0.0832/h",
                plan.reason());
        assertEquals(List.of(0.0832, 0.0832, 0.0832, 0.096, 0.096, 0.096),
                plan.candidates().stream().map(Placement::pricePerHour).toList());
    }

    @Test
    void atLeastNotationAndInstanceTypeFilter() {
        PlacementPlan atLeast = optimizer.plan(resources(null, null, null, null, "8+", "32+", null, null), List.of());
        assertTrue(atLeast.candidates().stream().allMatch(p -> p.instanceType().equals("m6i.2xlarge")
                || p.instanceType().equals("g5.2xlarge")));
        assertEquals("m6i.2xlarge", atLeast.cheapest().orElseThrow().instanceType());

        PlacementPlan byType = optimizer.plan(resources("AWS", null, null, "m6i.large", null, null, null, null), List.of());
        assertEquals(12, byType.candidates().size());
        assertEquals("cheapest of 12 candidates: aws/us-east-1/us-east-1a m6i.large on-demand $0.096/h", byType.reason());
    }

    @Test
    void spotUsesThePerZoneSpotPrice() {
        PlacementPlan plan = optimizer.plan(resources("aws", null, null, "m6i.large", null, null, null, true), List.of());

        Placement best = plan.cheapest().orElseThrow();
        assertTrue(best.spot());
        assertEquals("us-east-2b", best.zone());
        assertTrue(plan.reason().endsWith("aws/us-east-2/us-east-2b m6i.large spot $0.0362/h"), plan.reason());
    }

    @Test
    void acceleratorsPickTheGpuTypes() {
        PlacementPlan plan = optimizer.plan(resources(null, "eu-west-1", null, null, null, null, List.of("a10g:1"), null),
                List.of());

        assertEquals("g5.xlarge", plan.cheapest().orElseThrow().instanceType());
        assertEquals(1.123, plan.cheapest().orElseThrow().pricePerHour());
        assertTrue(plan.candidates().stream().allMatch(p -> p.instanceType().startsWith("g5.")));
    }

    @Test
    void blockedScopesAreSkipped() {
        Resources r = resources("aws", "us-east-1", null, "m6i.large", null, null, null, null);
        List<BlockedScope> zoneA = List.of(BlockedScope.of(BlockScope.ZONE, "aws", "us-east-1", "us-east-1a",
                "CAPACITY InsufficientInstanceCapacity", 1));

        PlacementPlan plan = optimizer.plan(r, zoneA);

        assertEquals("us-east-1b", plan.cheapest().orElseThrow().zone());
        assertEquals("cheapest of 2 candidates: aws/us-east-1/us-east-1b m6i.large on-demand $0.096/h (1 blocked)",
                plan.reason());

        PlacementPlan regionBlocked = optimizer.plan(r, List.of(BlockedScope.of(BlockScope.REGION, "aws", "us-east-1",
                null, "QUOTA VcpuLimitExceeded", 2)));
        assertFalse(regionBlocked.feasible());
        assertEquals("all 3 offers matching cloud=aws, region=us-east-1, instance_type=m6i.large are blocked: "
                + "region aws/us-east-1 (attempt 2: QUOTA VcpuLimitExceeded)", regionBlocked.reason());
    }

    @Test
    void infeasibleAndInvalidRequestsSayWhy() {
        PlacementPlan none = optimizer.plan(resources("aws", null, null, null, "64+", null, null, null), List.of());
        assertFalse(none.feasible());
        assertEquals("no offer in the catalog matches cloud=aws, cpus=64+ (156 offers searched)", none.reason());

        PlacementPlan gcp = optimizer.plan(resources("gcp", null, null, null, null, null, null, null), List.of());
        assertFalse(gcp.feasible());

        PlacementPlan invalid = optimizer.plan(resources(null, null, null, null, "four", null, null, null), List.of());
        assertFalse(invalid.feasible());
        assertEquals("invalid resources: cpus 'four' is not N or N+", invalid.reason());
    }

    @Test
    void noResourcesMeansAnyAndTheCheapestWins() {
        PlacementPlan plan = optimizer.plan(null, List.of());
        assertEquals(156, plan.candidates().size());
        assertEquals("t3.medium", plan.cheapest().orElseThrow().instanceType());
    }
}

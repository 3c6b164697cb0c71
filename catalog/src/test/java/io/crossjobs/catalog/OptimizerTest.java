package io.crossjobs.catalog;

import io.crossjobs.events.Accelerator;

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

    @Test
    void catalogCoversFourAwsRegionsWithRealInstanceTypes() {
        assertEquals(156, CATALOG.size());
        assertEquals(List.of("us-east-1", "us-east-2", "us-west-2", "eu-west-1"),
                CATALOG.offers().stream().map(o -> o.region()).distinct().toList());
        assertTrue(CATALOG.offers().stream().anyMatch(o -> o.instanceType().equals("g5.xlarge")
                && new Accelerator("A10G", 1).equals(o.accelerator())));
    }

    @Test
    void cheapestFirstAndTheReasonSaysWhy() {
        PlacementPlan plan = optimizer.plan(Resources.builder().cloud("aws").region("us-east-1").cpus("2").memory("8")
                .build(), List.of());

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
        PlacementPlan atLeast = optimizer.plan(Resources.builder().cpus("8+").memory("32+").build(), List.of());
        assertTrue(atLeast.candidates().stream().allMatch(p -> p.instanceType().equals("m6i.2xlarge")
                || p.instanceType().equals("g5.2xlarge")));
        assertEquals("m6i.2xlarge", atLeast.cheapest().orElseThrow().instanceType());

        PlacementPlan byType = optimizer.plan(Resources.builder().cloud("AWS").instanceType("m6i.large").build(),
                List.of());
        assertEquals(12, byType.candidates().size());
        assertEquals("cheapest of 12 candidates: aws/us-east-1/us-east-1a m6i.large on-demand $0.096/h", byType.reason());
    }

    @Test
    void spotUsesThePerZoneSpotPrice() {
        PlacementPlan plan = optimizer.plan(Resources.builder().cloud("aws").instanceType("m6i.large").useSpot(true)
                .build(), List.of());

        Placement best = plan.cheapest().orElseThrow();
        assertTrue(best.spot());
        assertEquals("us-east-1a", best.zone());
        assertTrue(plan.reason().endsWith("aws/us-east-1/us-east-1a m6i.large spot $0.033/h"), plan.reason());
    }

    @Test
    void acceleratorsPickTheGpuTypes() {
        PlacementPlan plan = optimizer.plan(Resources.builder().region("eu-west-1").accelerators(List.of("a10g:1"))
                .build(), List.of());

        assertEquals("g5.xlarge", plan.cheapest().orElseThrow().instanceType());
        assertEquals(1.123, plan.cheapest().orElseThrow().pricePerHour());
        assertTrue(plan.candidates().stream().allMatch(p -> p.instanceType().startsWith("g5.")));
    }

    @Test
    void blockedScopesAreSkipped() {
        Resources r = Resources.builder().cloud("aws").region("us-east-1").instanceType("m6i.large").build();
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
        PlacementPlan none = optimizer.plan(Resources.builder().cloud("aws").cpus("64+").build(), List.of());
        assertFalse(none.feasible());
        assertEquals("no offer in the catalog matches cloud=aws, cpus=64+ (156 offers searched)", none.reason());

        PlacementPlan gcp = optimizer.plan(Resources.builder().cloud("gcp").build(), List.of());
        assertFalse(gcp.feasible());

        PlacementPlan invalid = optimizer.plan(Resources.builder().cpus("four").build(), List.of());
        assertFalse(invalid.feasible());
        assertEquals("invalid resources: cpus 'four' is not N or N+", invalid.reason());
    }

    @Test
    void noResourcesMeansAnyCpuTypeAndTheCheapestWins() {
        PlacementPlan plan = optimizer.plan(null, List.of());
        assertEquals(156 - 24, plan.candidates().size());   // GPU types only when accelerators are asked for
        assertTrue(plan.candidates().stream().noneMatch(p -> p.instanceType().startsWith("g5.")));
        assertEquals("t3.medium", plan.cheapest().orElseThrow().instanceType());
    }

    // --- the three clouds, alternatives, accelerator order

    private static final Optimizer ALL = new Optimizer(PriceCatalog.fromClasspath(
            List.of("catalog/aws.csv", "catalog/gcp.csv", "catalog/azure.csv")));

    @Test
    void gcpAndAzureCatalogsHaveZonesGpusAndSpot() {
        PriceCatalog catalog = PriceCatalog.fromClasspath(List.of("catalog/gcp.csv", "catalog/azure.csv"));
        for (String cloud : List.of("gcp", "azure")) {
            var offers = catalog.offers().stream().filter(o -> o.cloud().equals(cloud)).toList();
            // the Azure snapshot has US regions only
            assertEquals(cloud.equals("gcp") ? 5 : 3, offers.stream().map(o -> o.region()).distinct().count(), cloud);
            assertTrue(offers.stream().map(o -> o.instanceType() + o.accelerator()).distinct().count() >= 20, cloud);
            assertTrue(offers.stream().allMatch(o -> o.sellsSpot() && o.spotPrice() < o.onDemandPrice()), cloud);
            // every region has three zones
            offers.stream().collect(java.util.stream.Collectors.groupingBy(o -> o.region(),
                    java.util.stream.Collectors.mapping(o -> o.zone(), java.util.stream.Collectors.toSet())))
                    .forEach((region, zones) -> assertEquals(3, zones.size(), cloud + "/" + region));
        }
        for (String gpu : List.of("T4", "V100", "A100", "L4")) {
            assertTrue(catalog.offers().stream().anyMatch(o -> o.cloud().equals("gcp") && o.accelerator() != null && gpu.equals(o.accelerator().name())), gpu);
        }
        assertTrue(catalog.offers().stream().anyMatch(o -> o.instanceType().equals("Standard_NC4as_T4_v3")));
    }

    @Test
    void wildcardInfraMeansAnyAndSpotPicksTheCheapestCloud() {
        PlacementPlan plan = ALL.plan(Resources.builder().cloud("*").region("*").cpus("4").useSpot(true).build(),
                List.of());

        Placement best = plan.cheapest().orElseThrow();
        assertTrue(best.spot());
        assertTrue(plan.reason().startsWith("cheapest of " + plan.candidates().size() + " candidates: "), plan.reason());
        assertTrue(plan.candidates().stream().map(Placement::cloud).distinct().count() == 3);
        assertEquals(plan.candidates().stream().mapToDouble(Placement::pricePerHour).min().orElseThrow(),
                best.pricePerHour());
    }

    @Test
    void anyOfPoolsTheAlternativesAndTheCheapestWins() {
        Resources r = Resources.builder().anyOf(List.of(
                Resources.builder().cloud("aws").region("us-east-1").instanceType("m6i.xlarge").build(),
                Resources.builder().cloud("gcp").region("us-central1").instanceType("n2-standard-4").build(),
                Resources.builder().cloud("azure").region("eastus").instanceType("Standard_D4as_v5").build())).build();

        PlacementPlan plan = ALL.plan(r, List.of());

        assertEquals(9, plan.candidates().size());
        assertEquals("cheapest of 9 candidates across 3 any_of alternatives: "
                + "azure/eastus/1 Standard_D4as_v5 on-demand $0.172/h", plan.reason());
    }

    @Test
    void orderedTakesTheFirstFeasibleAlternativeNotTheCheapest() {
        Resources r = Resources.builder().ordered(List.of(
                Resources.builder().cloud("aws").region("us-east-1").instanceType("m6i.xlarge").build(),
                Resources.builder().cloud("azure").region("eastus").instanceType("Standard_D4s_v5").build())).build();

        PlacementPlan first = ALL.plan(r, List.of());
        assertEquals("aws", first.cheapest().orElseThrow().cloud());
        assertTrue(first.reason().startsWith("ordered alternative 1 of 2: cheapest of 3 candidates"), first.reason());
        // the second alternative's placements follow the first's, for a caller that cannot use the first's
        assertEquals(List.of("aws", "aws", "aws", "azure", "azure", "azure"),
                first.candidates().stream().map(Placement::cloud).toList());
        assertTrue(first.reason().endsWith("; then 3 candidates of later alternatives"), first.reason());

        PlacementPlan second = ALL.plan(r, List.of(BlockedScope.of(BlockScope.REGION, "aws", "us-east-1", null,
                "QUOTA", 1)));
        assertEquals("azure", second.cheapest().orElseThrow().cloud());
        assertTrue(second.reason().startsWith("ordered alternative 2 of 2 (earlier ones infeasible)"), second.reason());
    }

    @Test
    void acceleratorsAsASetTakeTheCheapestAndInOrderTheFirstAvailable() {
        PlacementPlan set = ALL.plan(Resources.builder().cloud("gcp").region("us-central1")
                .accelerators(List.of("V100:1", "T4:1")).build(), List.of());
        assertEquals("n1-standard-4", set.cheapest().orElseThrow().instanceType());   // T4 is cheaper than V100

        PlacementPlan inOrder = ALL.plan(Resources.builder().cloud("gcp").region("us-central1")
                .accelerators(List.of("V100:1", "T4:1")).acceleratorsInOrder(true).build(), List.of());
        assertEquals("n1-standard-8", inOrder.cheapest().orElseThrow().instanceType());
        assertTrue(inOrder.reason().startsWith("accelerator V100:1 (choice 1 of 2): "), inOrder.reason());
        // every V100 placement before the first T4 one, though T4 is cheaper
        List<String> gpus = inOrder.candidates().stream().map(p -> p.accelerator().name()).toList();
        assertEquals(gpus.indexOf("T4"), gpus.lastIndexOf("V100") + 1, gpus.toString());
        assertTrue(inOrder.reason().contains("; then " + gpus.stream().filter("T4"::equals).count()
                + " candidates of later accelerators"), inOrder.reason());

        // asia-east1 sells no A100: the second choice
        PlacementPlan fallBack = ALL.plan(Resources.builder().cloud("gcp").region("asia-east1")
                .accelerators(List.of("A100:1", "T4:1")).acceleratorsInOrder(true).build(), List.of());
        assertTrue(fallBack.reason().startsWith("accelerator T4:1 (choice 2 of 2): "), fallBack.reason());

        PlacementPlan a100 = ALL.plan(Resources.builder().accelerators(List.of("A100:1")).build(), List.of());
        assertEquals("a2-highgpu-1g", a100.cheapest().orElseThrow().instanceType());
        PlacementPlan l4 = ALL.plan(Resources.builder().accelerators(List.of("L4:1")).useSpot(true).build(), List.of());
        assertEquals("g2-standard-4", l4.cheapest().orElseThrow().instanceType());
    }
}

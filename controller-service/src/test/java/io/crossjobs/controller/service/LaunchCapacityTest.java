package io.crossjobs.controller.service;

import io.crossjobs.controller.model.LaunchesInFlight;
import io.crossjobs.controller.model.LaunchesInFlight.Region;
import io.crossjobs.events.Placement;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Launches allowed in flight per region, and where a job goes when the cheapest regions are full. */
class LaunchCapacityTest {
    private static final Region US_EAST_1 = new Region("aws", "us-east-1");
    private static final Region US_EAST_2 = new Region("aws", "us-east-2");
    private static final Region US_CENTRAL1 = new Region("gcp", "us-central1");

    private static Placement at(String cloud, String region, String zone, double price) {
        return Placement.builder().cloud(cloud).region(region).zone(zone).instanceType("t").pricePerHour(price)
                .diskSizeGb(256).build();
    }

    /** Cheapest first, as the optimizer orders them: two zones of us-east-1, one of us-east-2, then GCP. */
    private static final List<Placement> CANDIDATES = List.of(at("aws", "us-east-1", "us-east-1a", 0.04),
            at("aws", "us-east-1", "us-east-1b", 0.04), at("aws", "us-east-2", "us-east-2a", 0.04),
            at("gcp", "us-central1", "us-central1-a", 0.07));

    @Test
    void eachCloudsDocumentedLaunchRateTimesTheHoldIsItsLimitPerRegion() {
        LaunchCapacity documented = LaunchCapacity.DOCUMENTED;
        assertEquals(Duration.ofSeconds(20), LaunchCapacity.DEFAULT_HOLD);
        assertEquals(OptionalInt.of(40), documented.limit(US_EAST_1));      // RunInstances refills 2/s
        assertEquals(OptionalInt.of(400), documented.limit(US_CENTRAL1));   // 20 instances/s
        assertEquals(OptionalInt.of(167), documented.limit(new Region("azure", "eastus")));   // 500 PutVM a minute
        assertEquals(OptionalInt.empty(), documented.limit(new Region("oci", "us-ashburn-1")), "no figure: no bound");
        assertEquals("aws 40, azure 167, gcp 400 (documented rates over 20s)", documented.toString());

        LaunchCapacity shortHold = new LaunchCapacity(Duration.ofSeconds(3), Map.of());
        assertEquals(OptionalInt.of(6), shortHold.limit(US_EAST_1));
        assertEquals(OptionalInt.of(1), new LaunchCapacity(Duration.ofMillis(100), Map.of()).limit(US_EAST_1),
                "at least one launch per region");
    }

    @Test
    void aSettingForOneRegionWinsOverOneForItsCloudWhichWinsOverTheRate() {
        LaunchCapacity set = new LaunchCapacity(LaunchCapacity.DEFAULT_HOLD, Map.of("AWS", 10, "aws/us-east-1", 3));

        assertEquals(OptionalInt.of(3), set.limit(US_EAST_1));
        assertEquals(OptionalInt.of(10), set.limit(US_EAST_2));
        assertEquals(OptionalInt.of(400), set.limit(US_CENTRAL1));
        assertEquals("aws 40, azure 167, gcp 400 (documented rates over 20s); set: aws 10, aws/us-east-1 3",
                set.toString());
        assertThrows(IllegalArgumentException.class, () -> new LaunchCapacity(Duration.ofSeconds(20), Map.of("gcp", 0)));
        assertThrows(IllegalArgumentException.class, () -> new LaunchCapacity(Duration.ZERO, Map.of()));
    }

    @Test
    void theCheapestCandidateWithRoomInItsRegionIsTakenAndTheFullOnesAreNamed() {
        LaunchCapacity capacity = LaunchCapacity.DOCUMENTED;

        LaunchChoice roomy = capacity.choose(CANDIDATES, LaunchesInFlight.of(Map.of(US_EAST_1, 39)));
        assertEquals("us-east-1a", roomy.placement().zone());
        assertEquals(List.of(), roomy.passedOver());

        LaunchChoice next = capacity.choose(CANDIDATES, LaunchesInFlight.of(Map.of(US_EAST_1, 40)));
        assertEquals("us-east-2a", next.placement().zone(), "another region of the same cloud, not another zone");
        assertEquals(List.of(new LaunchChoice.FullRegion(US_EAST_1, 40, 40)), next.passedOver());
        assertEquals("aws/us-east-1 launch capacity full: 40 in flight of 40", next.describeFull());

        LaunchChoice otherCloud = capacity.choose(CANDIDATES,
                LaunchesInFlight.of(Map.of(US_EAST_1, 41, US_EAST_2, 40, US_CENTRAL1, 399)));
        assertEquals("gcp", otherCloud.placement().cloud());
        assertEquals("aws/us-east-1 launch capacity full: 41 in flight of 40; "
                + "aws/us-east-2 launch capacity full: 40 in flight of 40", otherCloud.describeFull());
    }

    @Test
    void everyRegionFullMeansTheJobWaits() {
        LaunchChoice none = LaunchCapacity.DOCUMENTED.choose(CANDIDATES,
                LaunchesInFlight.of(Map.of(US_EAST_1, 40, US_EAST_2, 40, US_CENTRAL1, 400)));

        assertTrue(none.waits());
        assertNull(none.placement());
        assertEquals(3, none.passedOver().size(), "each region once, though us-east-1 has two candidates");

        LaunchChoice pinned = LaunchCapacity.DOCUMENTED.choose(CANDIDATES.subList(0, 2),
                LaunchesInFlight.of(Map.of(US_EAST_1, 40)));
        assertTrue(pinned.waits());
    }

    @Test
    void theScansOwnLaunchesCountAndAReasonNamesThreeFullRegionsAtMost() {
        LaunchCapacity three = new LaunchCapacity(LaunchCapacity.DEFAULT_HOLD, Map.of("aws", 2, "gcp", 1));
        LaunchesInFlight inFlight = LaunchesInFlight.none();
        List<String> regions = new java.util.ArrayList<>();
        for (int i = 0; i < 6; i++) {
            LaunchChoice choice = three.choose(CANDIDATES, inFlight);
            if (choice.waits()) break;
            inFlight.add(choice.placement());
            regions.add(choice.placement().region());
        }
        assertEquals(List.of("us-east-1", "us-east-1", "us-east-2", "us-east-2", "us-central1"), regions);
        assertEquals(5, inFlight.total());

        List<Placement> four = List.of(at("aws", "r1", "a", 1), at("aws", "r2", "a", 1), at("aws", "r3", "a", 1),
                at("aws", "r4", "a", 1));
        LaunchChoice full = three.choose(four, LaunchesInFlight.of(Map.of(new Region("aws", "r1"), 2,
                new Region("aws", "r2"), 2, new Region("aws", "r3"), 2, new Region("aws", "r4"), 2)));
        assertTrue(full.describeFull().endsWith("aws/r3 launch capacity full: 2 in flight of 2; and 1 more full region"),
                full.describeFull());
        assertFalse(full.describeFull().contains("aws/r4"));
    }
}

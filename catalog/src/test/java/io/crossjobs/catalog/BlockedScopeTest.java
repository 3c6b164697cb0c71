package io.crossjobs.catalog;

import io.crossjobs.events.BlockScope;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BlockedScopeTest {

    @Test
    void aReasonNamesTheFirstFiveBlockedScopesAndCountsTheRest() {
        List<BlockedScope> seven = IntStream.rangeClosed(1, 7).mapToObj(i -> BlockedScope.of(BlockScope.ZONE, "aws",
                "us-east-1", "us-east-1" + (char) ('a' + i), "InsufficientInstanceCapacity", i)).toList();

        String described = BlockedScope.describeAll(seven);

        assertTrue(described.startsWith("zone aws/us-east-1/us-east-1b (attempt 1: InsufficientInstanceCapacity)"),
                described);
        assertTrue(described.endsWith("; and 2 more"), described);
        assertEquals(BlockedScope.describeAll(seven.subList(0, 5)) + "; and 2 more", described);
    }

    @Test
    void aZoneBlockWithoutAZoneWidensToItsRegion() {
        BlockedScope b = BlockedScope.of(BlockScope.ZONE, "gcp", "us-central1", null, "quota", 2);
        assertEquals(BlockScope.REGION, b.scope());
        assertEquals("region gcp/us-central1", b.where());
    }
}

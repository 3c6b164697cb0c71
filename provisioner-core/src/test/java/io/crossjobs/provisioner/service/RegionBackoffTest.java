package io.crossjobs.provisioner.service;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RegionBackoffTest {
    private final Instant t0 = Instant.parse("2026-12-06T07:00:00Z");

    @Test
    void aFailingRegionPausesFromThePollIntervalDoublingUpToItsCap() {
        RegionBackoff backoff = new RegionBackoff(Duration.ofSeconds(1), Duration.ofSeconds(15));
        List<Long> pauses = new ArrayList<>();
        for (int i = 0; i < 6; i++) pauses.add(backoff.failed("eastus", t0).toSeconds());
        assertEquals(List.of(1L, 4L, 8L, 15L, 15L, 15L), pauses);
        assertFalse(backoff.allows("eastus", t0.plusSeconds(14)));
        assertTrue(backoff.allows("eastus", t0.plusSeconds(15)));
        assertTrue(backoff.allows("westus", t0), "each region pauses on its own");
    }

    @Test
    void aSuccessEndsThePause() {
        RegionBackoff backoff = new RegionBackoff(Duration.ofSeconds(1), Duration.ofSeconds(60));
        backoff.failed("eastus", t0);
        backoff.failed("eastus", t0);
        backoff.succeeded("eastus");
        assertTrue(backoff.allows("eastus", t0));
        assertEquals(Duration.ofSeconds(1), backoff.failed("eastus", t0));
    }
}

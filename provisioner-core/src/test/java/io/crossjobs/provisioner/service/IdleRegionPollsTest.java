package io.crossjobs.provisioner.service;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class IdleRegionPollsTest {
    private final IdleRegionPolls polls = new IdleRegionPolls(Duration.ofSeconds(10));
    private final Instant t0 = Instant.parse("2026-12-06T07:00:00Z");

    @Test
    void aRegionNeverListedIsDueAtOnceSoAFreshProcessFindsWhatItHad() {
        assertTrue(polls.due("us-east-1", t0));
    }

    @Test
    void aListedRegionIsDueAgainOnlyAfterTheInterval() {
        polls.listed("us-east-1", t0);
        assertFalse(polls.due("us-east-1", t0.plusSeconds(1)));
        assertFalse(polls.due("us-east-1", t0.plusMillis(9_999)));
        assertTrue(polls.due("us-east-1", t0.plusSeconds(10)));
        assertTrue(polls.due("eu-west-1", t0.plusSeconds(1)), "each region keeps its own time");
    }
}

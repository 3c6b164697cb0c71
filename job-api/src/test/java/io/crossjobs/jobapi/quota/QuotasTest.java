package io.crossjobs.jobapi.quota;

import org.junit.jupiter.api.Test;

import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The quota policy alone: which quota a submission goes over, in which order, and what it does not refuse. */
class QuotasTest {
    private static final QuotaLimits LIMITS = new QuotaLimits(10, 4, 16, 2, 1.0);
    private static final QuotaDemand CPU_JOB = new QuotaDemand(1, 2, 0, 0.1);

    @Test
    void aSubmissionWithinEveryQuotaPasses() {
        assertTrue(Quotas.check(LIMITS, QuotaUsage.NONE, CPU_JOB, 8).isEmpty());
    }

    @Test
    void theNodesOfOneJobComeFirstAndArePermanent() {
        QuotaRefusal r = Quotas.check(LIMITS, new QuotaUsage(10, 16, 2, 1.0), new QuotaDemand(5, 2, 0, 0.1), 1)
                .orElseThrow();
        assertEquals(Quotas.NODES_PER_JOB, r.quota());
        assertTrue(r.permanent());
    }

    @Test
    void everyJobOfAnArrayCountsOnEachQuota() {
        assertEquals(Optional.of(Quotas.LIVE_JOBS), quota(Quotas.check(LIMITS, new QuotaUsage(3, 0, 0, 0), CPU_JOB, 8)));
        assertEquals(Optional.of(Quotas.LIVE_VCPUS), quota(Quotas.check(LIMITS, new QuotaUsage(0, 8, 0, 0), CPU_JOB, 5)));
        assertEquals(Optional.of(Quotas.LIVE_ACCELERATORS), quota(Quotas.check(LIMITS, QuotaUsage.NONE,
                new QuotaDemand(1, 1, 1, 0.1), 3)));
        assertEquals(Optional.of(Quotas.LIVE_USD_PER_HOUR), quota(Quotas.check(LIMITS, new QuotaUsage(0, 0, 0, 0.5),
                CPU_JOB, 6)));
        QuotaRefusal r = Quotas.check(LIMITS, new QuotaUsage(0, 8, 0, 0), CPU_JOB, 5).orElseThrow();
        assertEquals("quota live-vcpus of alice exceeded: limit 16, in use 8, this submission needs 10 more",
                r.detail("alice"));
    }

    /** An admin lowered a quota below what the user holds: a job that adds nothing to it still passes. */
    @Test
    void aFigureTheSubmissionDoesNotAddToNeverRefusesIt() {
        assertTrue(Quotas.check(LIMITS, new QuotaUsage(0, 0, 5, 0), CPU_JOB, 1).isEmpty());
    }

    /** Prices summed in floating point: reaching the limit exactly (ten jobs of $0.1) is within it. */
    @Test
    void aSumThatIsTheLimitUpToRoundingIsWithinIt() {
        QuotaUsage nine = QuotaUsage.NONE;
        for (int i = 0; i < 9; i++) nine = nine.plus(CPU_JOB, 1);
        assertTrue(Quotas.check(new QuotaLimits(100, 4, 100, 2, 1.0), nine, CPU_JOB, 1).isEmpty());
        assertTrue(Quotas.check(new QuotaLimits(100, 4, 100, 2, 1.0), nine.plus(CPU_JOB, 1), CPU_JOB, 1).isPresent());
    }

    private static Optional<String> quota(Optional<QuotaRefusal> r) {
        return r.map(QuotaRefusal::quota);
    }
}

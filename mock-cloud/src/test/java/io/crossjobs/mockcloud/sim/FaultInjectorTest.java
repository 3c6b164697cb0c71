package io.crossjobs.mockcloud.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class FaultInjectorTest {
    private final FaultInjector faults = new FaultInjector(new MutableClock());

    private static FaultContext launch(String type) {
        return new FaultContext(Cloud.AWS, "us-east-1", "us-east-1a", type, "RunInstances", true);
    }

    @Test
    void nullMatchesAnythingAndANullActionOnlyLaunches() {
        faults.add(new FaultSpec(null, null, null, null, null, 5, "InsufficientInstanceCapacity", null, null));
        assertNull(faults.consume(new FaultContext(Cloud.AWS, "us-east-1", null, null, "DescribeInstances", false)));
        assertNotNull(faults.consume(launch("m5.large")));
        assertNotNull(faults.consume(new FaultContext(Cloud.GCP, "europe-west1", "europe-west1-b", "e2-small",
                "instances.insert", true)));
        assertEquals(3, faults.list().get(0).remaining());
    }

    @Test
    void namedActionsAndFields() {
        faults.add(new FaultSpec("aws", "us-east-1", null, "c5.large", "RunInstances", 1, "Unsupported", 400,
                "custom message"));
        faults.add(new FaultSpec("aws", null, null, null, "DescribeInstances", 1, "RequestLimitExceeded", null, null));
        assertNull(faults.consume(launch("m5.large")));
        SimulatedFault f = faults.consume(launch("c5.large"));
        assertEquals("Unsupported", f.errorCode());
        assertEquals(400, f.httpStatus());
        assertEquals("custom message", f.getMessage());
        SimulatedFault throttled = faults.consume(
                new FaultContext(Cloud.AWS, "eu-west-1", null, null, "DescribeInstances", false));
        assertEquals(503, throttled.httpStatus());
        assertTrue(faults.list().isEmpty());
    }

    @Test
    void firstAddedIsConsumedFirst() {
        faults.add(new FaultSpec(null, null, null, null, null, 1, "First", null, null));
        faults.add(new FaultSpec(null, null, null, null, null, 1, "Second", null, null));
        assertEquals("First", faults.consume(launch("m5.large")).errorCode());
        assertEquals("Second", faults.consume(launch("m5.large")).errorCode());
        assertNull(faults.consume(launch("m5.large")));
    }

    @Test
    void validationAndRemoval() {
        assertThrows(IllegalArgumentException.class,
                () -> faults.add(new FaultSpec(null, null, null, null, null, 1, null, null, null)));
        assertThrows(IllegalArgumentException.class,
                () -> faults.add(new FaultSpec(null, null, null, null, null, 0, "X", null, null)));
        assertThrows(IllegalArgumentException.class,
                () -> faults.add(new FaultSpec("ibm", null, null, null, null, 1, "X", null, null)));
        assertThrows(IllegalArgumentException.class,
                () -> faults.add(new FaultSpec(null, null, null, null, null, 1, "X", 200, null)));
        FaultRule rule = faults.add(new FaultSpec("AWS", null, null, null, null, null, "X", null, null));
        assertEquals("aws", rule.cloud());
        assertEquals(1, rule.remaining());
        assertEquals(400, rule.httpStatus());
        assertTrue(faults.remove(rule.id()));
        assertEquals(0, faults.clear());
    }

    @Test
    void aPureDelaySlowsTheCallAndAnswersNormally() {
        faults.add(new FaultSpec("aws", "eu-west-3", null, null, "DescribeInstances", 2, null, null, null, 120L));
        FaultContext describe = new FaultContext(Cloud.AWS, "eu-west-3", null, null, "DescribeInstances", false);
        assertNull(faults.consume(new FaultContext(Cloud.AWS, "eu-west-1", null, null, "DescribeInstances", false)));
        assertEquals(2, faults.list().get(0).remaining());   // another region neither waits nor uses it up
        long start = System.nanoTime();
        assertNull(faults.consume(describe));
        assertTrue(System.nanoTime() - start >= 120_000_000L, "answered before the delay");
        assertEquals(1, faults.list().get(0).remaining());
        assertNull(faults.list().get(0).errorCode());
        assertNull(faults.list().get(0).httpStatus());
    }

    @Test
    void aDelayWithAnErrorCodeIsSlowThenFails() {
        faults.add(new FaultSpec(null, null, null, null, null, 1, "InsufficientInstanceCapacity", null, null, 80L));
        long start = System.nanoTime();
        SimulatedFault f = faults.consume(launch("m5.large"));
        assertTrue(System.nanoTime() - start >= 80_000_000L, "failed before the delay");
        assertEquals("InsufficientInstanceCapacity", f.errorCode());
        assertEquals(500, f.httpStatus());
        assertTrue(faults.list().isEmpty());
    }

    @Test
    void delayValidation() {
        assertThrows(IllegalArgumentException.class,
                () -> faults.add(new FaultSpec(null, null, null, null, null, 1, null, null, null, 0L)));
        assertThrows(IllegalArgumentException.class,
                () -> faults.add(new FaultSpec(null, null, null, null, null, 1, "X", null, null, -1L)));
        assertThrows(IllegalArgumentException.class, () -> faults.add(new FaultSpec(null, null, null, null, null, 1,
                "X", null, null, FaultInjector.MAX_DELAY_MS + 1)));
        assertThrows(IllegalArgumentException.class,
                () -> faults.add(new FaultSpec(null, null, null, null, null, 1, null, 503, null, 10L)));
        FaultRule rule = faults.add(new FaultSpec(null, null, null, null, null, 1, " ", null, null, 10L));
        assertNull(rule.errorCode());
        assertEquals(10, rule.delayMs());
        assertEquals(0, faults.add(new FaultSpec(null, null, null, null, null, 1, "X", null, null)).delayMs());
    }
}

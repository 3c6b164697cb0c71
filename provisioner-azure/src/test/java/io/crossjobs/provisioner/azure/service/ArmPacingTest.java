package io.crossjobs.provisioner.azure.service;

import com.azure.core.http.HttpMethod;
import io.crossjobs.provisioner.service.CallPacer;
import io.crossjobs.provisioner.service.HeldBackException;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Which of Azure's limits each call counts against, and the slots they give, on a stopped clock. */
class ArmPacingTest {
    private static final String VM = "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Compute/virtualMachines/"
            + "cj-job-1-0";

    @Test
    void eachCallCountsAgainstResourceManagersBucketAndAVmsCallAlsoAgainstItsComputePolicy() {
        assertEquals(List.of("subscription reads", "LowCostGet per VM"), names(HttpMethod.GET, VM));
        assertEquals(List.of("subscription writes", "PutVM per VM"), names(HttpMethod.PUT, VM));
        assertEquals(List.of("subscription deletes", "PutVM per VM"), names(HttpMethod.DELETE, VM));
        assertEquals(List.of("subscription reads", "LowCostGet per VM"), names(HttpMethod.GET, VM + "/instanceView"));
        assertEquals(List.of("subscription reads"),
                names(HttpMethod.GET, "/subscriptions/s/providers/Microsoft.Compute/virtualMachines"));
        assertEquals(List.of("subscription writes"), names(HttpMethod.PUT,
                "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/crossjobs-eastus"));
    }

    @Test
    void aVmsGetsBeyondItsPolicyWaitOrAreHeldBack() {
        CallPacer pacer = new CallPacer(Clock.fixed(Instant.parse("2026-12-05T12:00:00Z"), ZoneOffset.UTC));
        ArmPacing patient = new ArmPacing(pacer, Duration.ofSeconds(10));
        // Compute's 36 at once, 12 a minute, paced with a margin: 35 at once, then one every 5.6 s
        for (int i = 0; i < 35; i++) assertEquals(Duration.ZERO, patient.slotFor(HttpMethod.GET, VM), "get " + (i + 1));

        Duration wait = patient.slotFor(HttpMethod.GET, VM);
        assertTrue(wait.compareTo(Duration.ofMillis(5500)) > 0 && wait.compareTo(Duration.ofMillis(5600)) < 0,
                "the 36th waits a bit over 5 s, was " + wait);
        assertThrows(HeldBackException.class,
                () -> new ArmPacing(pacer, Duration.ofSeconds(1)).slotFor(HttpMethod.GET, VM));
        assertEquals(Duration.ZERO, patient.slotFor(HttpMethod.GET, VM.replace("-0", "-1")), "another VM's policy");
    }

    private static List<String> names(HttpMethod method, String path) {
        return ArmPacing.slotsOf(method, path).stream().map(s -> s.budget().name()).toList();
    }
}

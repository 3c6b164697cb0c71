package io.crossjobs.jobapi.cost;

import io.crossjobs.jobapi.controller.ControllerBilling;
import io.crossjobs.jobapi.controller.ControllerCosts;
import io.crossjobs.jobapi.controller.ControllerVmPeriod;
import io.quarkus.test.Mock;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * The controller's VMs for the @QuarkusTests, in place of the keeper's store: a controller of 4+ CPUs and 16+ GiB
 * that ran 10 h on aws/us-east-1, 10 h on gcp/us-central1, and lives on aws/us-east-1 since 10 h before the tests
 * started.
 */
@Mock
@ApplicationScoped
public class FixedControllerCosts implements ControllerCosts {
    static final Instant START = Instant.now();
    static final double T3_XLARGE = 0.1664;
    static final double E2_STANDARD_4 = 0.13402;
    static final ControllerBilling BILLING = new ControllerBilling("4+", "16+", "aws", "us-east-1", List.of(
            new ControllerVmPeriod("cj-controller-1", 1, "aws", "us-east-1", "us-east-1a", "t3.xlarge", "i-0001",
                    T3_XLARGE, hoursBefore(30), hoursBefore(20)),
            new ControllerVmPeriod("cj-controller-2", 2, "gcp", "us-central1", "us-central1-a", "e2-standard-4",
                    "1234567890", E2_STANDARD_4, hoursBefore(20), hoursBefore(10)),
            new ControllerVmPeriod("cj-controller-3", 3, "aws", "us-east-1", "us-east-1b", "t3.xlarge", "i-0003",
                    T3_XLARGE, hoursBefore(10), null)));

    @Override
    public Uni<ControllerBilling> billing() {
        return Uni.createFrom().item(BILLING);
    }

    private static Instant hoursBefore(int hours) {
        return START.minus(Duration.ofHours(hours));
    }
}

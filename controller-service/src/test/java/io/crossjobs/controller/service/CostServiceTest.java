package io.crossjobs.controller.service;

import io.crossjobs.controller.model.ControllerPlacement;
import io.crossjobs.controller.model.CostReport;
import io.crossjobs.controller.model.ManagedJob;
import io.crossjobs.events.ClusterProgress;
import io.crossjobs.events.ClusterState;
import io.crossjobs.events.JobExited;
import io.crossjobs.events.Resources;
import io.crossjobs.events.RunPhase;
import io.crossjobs.events.TaskSpec;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Cost accrual in the state machine and the cost report, without a database. */
class CostServiceTest {
    private static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");
    private static final PriceCatalog CATALOG = PriceCatalog.fromClasspath(
            List.of("catalog/aws.csv", "catalog/gcp.csv", "catalog/azure.csv"));
    private static final Optimizer OPTIMIZER = new Optimizer(CATALOG);
    private final CostService costs = new CostService(null, null, CATALOG, OPTIMIZER, Clock.fixed(T0, ZoneOffset.UTC));

    private static Decider at(Instant now) {
        return new Decider(OPTIMIZER, 3, Clock.fixed(now, ZoneOffset.UTC));
    }

    /** Runs a job on m6i.large (us-east-1, $0.096/h on-demand or its spot price) for {@code ran}, then exit 0. */
    private static ManagedJob ranFor(String id, String owner, boolean spot, Duration ran) {
        Resources r = new Resources("aws", "us-east-1", null, "m6i.large", null, null, null, spot, null);
        ManagedJob job = ManagedJob.pending(id, id, owner, new TaskSpec(id, r, 1, Map.of(), null, "run"), T0, T0);
        job = at(T0).onLaunchSlot(job).resultingJob(job);
        job = at(T0).onClusterProgress(job, new ClusterProgress(id, 1, job.clusterName(), ClusterState.RUNNING, "aws",
                "us-east-1", job.placement().zone(), List.of("i-1"), null, T0)).resultingJob(job);
        Instant end = T0.plus(ran);
        return at(end).onJobExited(job, new JobExited(id, 1, job.clusterName(), RunPhase.RUN, 0, end)).resultingJob(job);
    }

    @Test
    void aJobCostsItsPriceTimesTheTimeItRan() {
        ManagedJob done = ranFor("j1", "alice", false, Duration.ofHours(10));
        assertEquals(0.96, done.costUsd(), 1e-9);
        assertEquals(null, done.billedSince());
        assertEquals(0.96, done.costSoFar(T0.plus(Duration.ofDays(3))), 1e-9, "a finished job costs nothing more");
    }

    @Test
    void theReportSumsPerOwnerPricesTheControllerAndSuggestsSpot() {
        Duration tenHours = Duration.ofHours(10);
        List<ManagedJob> jobs = List.of(ranFor("a", "alice", false, tenHours), ranFor("b", "alice", false, tenHours),
                ranFor("c", "bob", true, tenHours));

        CostReport report = costs.report(jobs, ControllerPlacement.of("aws", "us-east-1", "4+", null),
                T0.plus(Duration.ofHours(20)));

        assertEquals(1.92, report.owners().get(0).cost(), 1e-9);
        assertEquals("alice", report.owners().get(0).owner());
        assertEquals(2, report.owners().get(0).jobs());
        assertEquals("t3.xlarge", report.controller().instanceType());   // cheapest with 4+ vCPUs and 16+ GiB
        assertEquals(0.1664 * 24, report.controller().usdPerDay(), 1e-3);
        CostReport.Suggestion spot = report.suggestions().get(0);
        assertEquals("USE_SPOT", spot.kind());
        assertTrue(spot.message().startsWith("these 2 on-demand jobs would have cost " + spot.savingPercent()
                + "% less on spot in aws/"), spot.message());
        assertTrue(spot.savingPercent() > 50, spot.message());
        CostReport.Suggestion idle = report.suggestions().get(1);
        assertEquals("IDLE_CONTROLLER", idle.kind());
        assertTrue(idle.message().startsWith("controller idle for 10 h on aws/us-east-1 (t3.xlarge) costs $3.99/day"),
                idle.message());
    }

    @Test
    void aJobOfAFewSecondsIsReportedAtItsMicroDollarCostNotAsFree() {
        ManagedJob shortJob = ranFor("s", "alice", false, Duration.ofSeconds(5));

        CostReport report = costs.report(List.of(shortJob), ControllerPlacement.of("aws", "us-east-1", "4+", null),
                T0.plusSeconds(5));

        assertEquals(0.096 * 5 / 3600, report.jobs().get(0).cost(), 1e-6);
        assertTrue(report.jobs().get(0).cost() > 0, "5 s on m6i.large costs about $0.000133");
        assertTrue(report.suggestions().isEmpty(), "no advice about fractions of a cent, nor 'idle' seconds after a job: "
                + report.suggestions());
    }
}

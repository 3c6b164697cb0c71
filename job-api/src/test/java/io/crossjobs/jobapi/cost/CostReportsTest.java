package io.crossjobs.jobapi.cost;

import io.crossjobs.catalog.EgressPrices;
import io.crossjobs.catalog.Optimizer;
import io.crossjobs.catalog.PriceCatalog;
import io.crossjobs.events.FileMount;
import io.crossjobs.events.JobStatus;
import io.crossjobs.events.TaskSpec;
import io.crossjobs.jobapi.controller.ControllerBilling;
import io.crossjobs.jobapi.controller.ControllerVmPeriod;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The cost report's policy, called directly: rows, VMs and a clock in, the report out. */
class CostReportsTest {
    private static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");
    private static final PriceCatalog CATALOG = PriceCatalog.fromClasspath(
            List.of("catalog/aws.csv", "catalog/gcp.csv", "catalog/azure.csv"));
    private static final CostReports REPORTS = new CostReports(CATALOG, new Optimizer(CATALOG),
            EgressPrices.fromClasspath(EgressPrices.DEFAULT_RESOURCE));
    /** The cheapest on-demand offers with 4+ vCPUs and 16+ GiB per cloud, in the catalog. */
    private static final double T3_XLARGE = 0.1664;
    private static final double E2_STANDARD_4 = 0.13402;
    private static final double M6I_LARGE = 0.096;

    private static JobCostRow job(long id, String owner, JobStatus status, boolean spot, double accrued,
                                  Instant changedAt) {
        return new JobCostRow(id, "job-" + id, owner, status, "aws", "us-east-1", "m6i.large", spot,
                spot ? 0.0384 : M6I_LARGE, accrued, changedAt, null, 0, 0, 0);
    }

    /** On-demand m6i.large that ran {@code hours} and finished at {@code T0}. */
    private static JobCostRow finished(long id, String owner, double hours) {
        return job(id, owner, JobStatus.SUCCEEDED, false, M6I_LARGE * hours, T0);
    }

    private static ControllerVmPeriod vm(int generation, String cloud, String region, String zone, String type,
                                         double price, Instant launched, Instant ended) {
        return new ControllerVmPeriod("cj-controller-" + generation, generation, cloud, region, zone, type,
                "i-" + generation, price, launched, ended);
    }

    private static ControllerVmPeriod awsVm(int generation, Instant launched, Instant ended) {
        return vm(generation, "aws", "us-east-1", "us-east-1a", "t3.xlarge", T3_XLARGE, launched, ended);
    }

    private static ControllerVmPeriod gcpVm(int generation, Instant launched, Instant ended) {
        return vm(generation, "gcp", "us-central1", "us-central1-a", "e2-standard-4", E2_STANDARD_4, launched, ended);
    }

    private static ControllerBilling billing(String cloud, String region, ControllerVmPeriod... vms) {
        return new ControllerBilling("4+", "16+", cloud, region, List.of(vms));
    }

    /** A controller on aws that has been up since long before the jobs, still alive. */
    private static final ControllerBilling AWS_CONTROLLER = billing("aws", "us-east-1",
            awsVm(1, T0.minus(Duration.ofDays(2)), null));

    private static Optional<CostReport.Suggestion> suggestion(CostReport report, String kind) {
        return report.suggestions().stream().filter(s -> s.kind().equals(kind)).findFirst();
    }

    private static CostReport report(List<JobCostRow> jobs, ControllerBilling billing, Instant now) {
        return REPORTS.report(jobs, Map.of(), JobActivity.of(jobs), billing, now);
    }

    // ---------------------------------------------------------------- jobs

    @Test
    void aRunningJobCostsWhatItAccruedPlusItsPriceSinceItsLastStatusChange() {
        JobCostRow running = job(1, "alice", JobStatus.RUNNING, false, 0.5, T0);

        assertEquals(0.5 + M6I_LARGE * 10, running.costAt(T0.plus(Duration.ofHours(10))), 1e-9);
        assertEquals(0.5, running.costAt(T0), 1e-9);
        assertEquals(0.5, running.costAt(T0.minusSeconds(5)), 1e-9, "a clock behind the event adds nothing");
        assertEquals(M6I_LARGE, job(2, "alice", JobStatus.RUNNING, false, 0, T0)
                .costAt(T0.plus(Duration.ofHours(1))), 1e-9, "no accrued cost reported yet counts as 0");
    }

    @Test
    void outsideRunningAJobCostsWhatItAccruedAndNoMore() {
        Instant later = T0.plus(Duration.ofDays(3));
        assertEquals(0.96, finished(1, "alice", 10).costAt(later), 1e-9);
        for (JobStatus notBilled : List.of(JobStatus.PENDING, JobStatus.STARTING, JobStatus.RECOVERING,
                JobStatus.CANCELLING, JobStatus.FAILED, JobStatus.CANCELLED)) {
            assertEquals(0.3, job(2, "alice", notBilled, false, 0.3, T0).costAt(later), 1e-9, notBilled.name());
        }
        JobCostRow neverPlaced = new JobCostRow(3L, "p", "alice", JobStatus.PENDING, null, null, null, null, null,
                null, T0, null, 0, 0, 0);
        assertEquals(0, neverPlaced.costAt(later));
    }

    @Test
    void theReportListsEachJobSumsPerOwnerAndInTotal() {
        Instant now = T0.plus(Duration.ofHours(2));
        List<JobCostRow> jobs = List.of(finished(1, "alice", 10), finished(2, "bob", 1),
                job(3, "alice", JobStatus.RUNNING, false, 0.1, T0));

        CostReport report = report(jobs, AWS_CONTROLLER, now);

        assertEquals(now, report.at());
        assertEquals(List.of("1", "2", "3"), report.jobs().stream().map(CostReport.JobCost::id).toList());
        CostReport.JobCost running = report.jobs().get(2);
        assertEquals("RUNNING", running.status());
        assertEquals("m6i.large", running.instanceType());
        assertEquals(false, running.spot());
        assertEquals(M6I_LARGE, running.pricePerHour());
        assertEquals(0.1 + M6I_LARGE * 2, running.cost(), 1e-9);
        assertEquals(List.of(new CostReport.OwnerCost("alice", 2, Money.round(0.96 + 0.1 + 0.192), 0),
                new CostReport.OwnerCost("bob", 1, 0.096, 0)), report.owners());
        assertEquals(0.96 + 0.096 + 0.1 + 0.192, report.totalJobCost(), 1e-9);
    }

    @Test
    void theEgressOfStagingIsShownApartPerJobPerOwnerAndInTotal() {
        FileMount workdir = new FileMount(FileMount.WORKDIR, FileMount.Source.ARCHIVE, "gs://store/archives/a",
                1_000_000_000L);
        TaskSpec twoNodes = new TaskSpec("t", null, 2, null, null, null, "echo", List.of(workdir));
        JobCostRow onAws = new JobCostRow(1L, "a", "alice", JobStatus.SUCCEEDED, "aws", "us-east-1", "m6i.large",
                false, M6I_LARGE, 0.96, T0, T0.minus(Duration.ofHours(10)), 0, 1, 0);
        JobCostRow onGcp = new JobCostRow(2L, "b", "alice", JobStatus.SUCCEEDED, "gcp", "us-central1",
                "e2-standard-4", false, E2_STANDARD_4, 0.5, T0, T0.minus(Duration.ofHours(4)), 0, 0, 0);
        List<JobCostRow> jobs = List.of(onAws, onGcp);

        CostReport report = REPORTS.report(jobs, Map.of(1L, List.of(twoNodes), 2L, List.of(twoNodes)),
                JobActivity.of(jobs), null, T0);

        double gcpEgress = 0.12 * 2 * 2 * 1_000_000_000L / (1L << 30);   // 2 launches × 2 nodes × 1 GB at $/GiB
        CostReport.JobCost first = report.jobs().get(0);
        assertEquals(new CostReport.Egress(2, 4_000_000_000L, Money.round(gcpEgress), 0), first.egress());
        assertEquals(0.96, first.cost(), 1e-9, "the instances' cost does not include the egress");
        assertEquals(new CostReport.Egress(1, 0, 0, 0), report.jobs().get(1).egress(), "same-cloud staging");
        assertEquals(Money.round(gcpEgress), report.owners().get(0).egressCost(), 1e-9);
        assertEquals(Money.round(gcpEgress), report.totalEgressCost(), 1e-9);
        assertEquals(0.96 + 0.5, report.totalJobCost(), 1e-9);
    }

    @Test
    void aJobOfAFewSecondsCostsMicroDollarsNotNothingAndGetsNoAdvice() {
        JobCostRow shortJob = finished(1, "alice", 5 / 3600d);

        CostReport report = report(List.of(shortJob), AWS_CONTROLLER, T0.plusSeconds(1));

        assertEquals(Money.round(M6I_LARGE * 5 / 3600), report.jobs().get(0).cost());
        assertTrue(report.jobs().get(0).cost() > 0, "5 s on m6i.large costs about $0.000133");
        assertTrue(suggestion(report, "USE_SPOT").isEmpty(), "no advice about fractions of a cent");
    }

    @Test
    void onDemandJobsAreToldWhatSpotWouldHaveCost() {
        List<JobCostRow> jobs = List.of(finished(1, "alice", 10), finished(2, "alice", 10),
                job(3, "bob", JobStatus.SUCCEEDED, true, 0.384, T0));

        CostReport.Suggestion spot = suggestion(report(jobs, AWS_CONTROLLER, T0), "USE_SPOT").orElseThrow();

        assertTrue(spot.message().startsWith("these 2 on-demand jobs would have cost " + spot.savingPercent()
                + "% less on spot in aws/"), spot.message());
        assertTrue(spot.savingPercent() > 50, spot.message());
        assertTrue(spot.savingUsd() > 0.96 && spot.savingUsd() < 1.92, spot.message());
    }

    @Test
    void spotJobsAndJobsWithoutAPlacementGetNoSpotAdvice() {
        List<JobCostRow> jobs = List.of(job(1, "bob", JobStatus.SUCCEEDED, true, 5, T0),
                new JobCostRow(2L, "p", "bob", JobStatus.FAILED_NO_RESOURCE, null, null, null, null, null, null, T0,
                        null, 0, 0, 0));

        assertTrue(suggestion(report(jobs, AWS_CONTROLLER, T0), "USE_SPOT").isEmpty());
    }

    // ---------------------------------------------------------------- the controller's VMs

    @Test
    void theControllerCostsEachVmsLifetimeTimesItsPriceTheLiveOneUntilNow() {
        Instant now = T0.plus(Duration.ofHours(5));
        ControllerBilling billing = billing("gcp", "us-central1",
                awsVm(1, T0.minus(Duration.ofHours(10)), T0),
                gcpVm(2, T0, null));

        CostReport.ControllerCost c = report(List.of(), billing, now).controller();

        assertEquals(T3_XLARGE * 10 + E2_STANDARD_4 * 5, c.cost(), 1e-6);
        assertEquals("gcp", c.cloud());
        assertEquals("us-central1", c.region());
        assertEquals("us-central1-a", c.zone());
        assertEquals("e2-standard-4", c.instanceType(), "the live VM's");
        assertEquals(E2_STANDARD_4, c.usdPerHour());
        assertEquals(Money.round(E2_STANDARD_4 * 24), c.usdPerDay());
        assertEquals("4+", c.cpus());
        assertEquals("16+", c.memory());
        assertEquals(2, c.vms().size());
        CostReport.VmCost ended = c.vms().get(0);
        assertEquals(new CostReport.VmCost("cj-controller-1", 1, "aws", "us-east-1", "us-east-1a", "t3.xlarge", "i-1",
                T3_XLARGE, T0.minus(Duration.ofHours(10)), T0, 10, Money.round(T3_XLARGE * 10)), ended);
        CostReport.VmCost live = c.vms().get(1);
        assertNull(live.endedAt());
        assertEquals(5, live.hours(), 1e-9);
        assertEquals(Money.round(E2_STANDARD_4 * 5), live.cost());
    }

    @Test
    void aStoppedControllerShowsItsNewestVmAndCostsNothingMore() {
        ControllerBilling billing = billing("aws", "us-east-1",
                awsVm(1, T0.minus(Duration.ofHours(10)), T0.minus(Duration.ofHours(8))),
                awsVm(2, T0.minus(Duration.ofHours(4)), T0.minus(Duration.ofHours(3))));

        CostReport.ControllerCost c = report(List.of(), billing, T0.plus(Duration.ofDays(1))).controller();

        assertEquals(Money.round(T3_XLARGE * 3), c.cost());
        assertEquals("t3.xlarge", c.instanceType());
        assertEquals(T3_XLARGE, c.usdPerHour());
        assertEquals(1, c.periods().size());
        assertEquals(T0.minus(Duration.ofHours(3)), c.periods().get(0).to());
    }

    @Test
    void aControllerWithoutVmsYetIsPricedAtTheCheapestFitWhereItIsPlaced() {
        CostReport.ControllerCost c = report(List.of(), billing("aws", "us-east-1"), T0).controller();

        assertEquals("t3.xlarge", c.instanceType());   // cheapest with 4+ vCPUs and 16+ GiB on aws/us-east-1
        assertEquals(T3_XLARGE, c.usdPerHour());
        assertNull(c.zone());
        assertEquals(0, c.cost());
        assertTrue(c.vms().isEmpty() && c.periods().isEmpty());
    }

    @Test
    void consecutiveVmsOnOneCloudAndRegionAreOnePlacementPeriod() {
        Instant h = T0;
        ControllerBilling billing = billing("aws", "us-east-1",
                awsVm(1, h, h.plus(Duration.ofHours(1))),
                awsVm(2, h.plus(Duration.ofHours(1)), h.plus(Duration.ofHours(2))),
                gcpVm(3, h.plus(Duration.ofHours(2)), h.plus(Duration.ofHours(5))),
                awsVm(4, h.plus(Duration.ofHours(5)), null));

        List<CostReport.Period> periods = report(List.of(), billing, h.plus(Duration.ofHours(6))).controller().periods();

        assertEquals(List.of(
                new CostReport.Period("aws", "us-east-1", h, h.plus(Duration.ofHours(2)), 2,
                        Money.round(T3_XLARGE * 2)),
                new CostReport.Period("gcp", "us-central1", h.plus(Duration.ofHours(2)), h.plus(Duration.ofHours(5)), 1,
                        Money.round(E2_STANDARD_4 * 3)),
                new CostReport.Period("aws", "us-east-1", h.plus(Duration.ofHours(5)), null, 1,
                        Money.round(T3_XLARGE))), periods);
    }

    @Test
    void withoutBillingThereIsNoControllerSectionNorControllerAdvice() {
        CostReport report = REPORTS.report(List.of(), Map.of(), new JobActivity(0, null), null, T0);

        assertNull(report.controller());
        assertTrue(report.suggestions().isEmpty(), report.suggestions().toString());
    }

    // ---------------------------------------------------------------- idle controller

    @Test
    void aControllerWithoutLiveJobsForAnHourIsIdle() {
        List<JobCostRow> jobs = List.of(finished(1, "alice", 1));

        CostReport.Suggestion idle = suggestion(report(jobs, AWS_CONTROLLER, T0.plus(Duration.ofHours(10))),
                "IDLE_CONTROLLER").orElseThrow();

        assertTrue(idle.message().startsWith("controller idle for 10 h on aws/us-east-1 (t3.xlarge) costs $3.99/day; "
                + "the cheapest fitting placement is gcp/us-central1 e2-standard-4 at $3.22/day "
                + "(crossjobs controller migrate --cloud gcp --region us-central1)"), idle.message());
        assertEquals(Money.round(T3_XLARGE * 24), idle.savingUsd());
        assertNull(idle.savingPercent());
    }

    @Test
    void aControllerWithLiveJobsOrJustBetweenJobsIsNotIdle() {
        Instant later = T0.plus(Duration.ofHours(10));
        List<JobCostRow> pending = List.of(finished(1, "alice", 1), job(2, "bob", JobStatus.PENDING, false, 0, T0));
        assertTrue(suggestion(report(pending, AWS_CONTROLLER, later), "IDLE_CONTROLLER").isEmpty());

        List<JobCostRow> justDone = List.of(finished(1, "alice", 1));
        assertTrue(suggestion(report(justDone, AWS_CONTROLLER, T0.plus(Duration.ofMinutes(59))), "IDLE_CONTROLLER")
                .isEmpty());
    }

    @Test
    void idlenessIsThatOfEveryJobNotOnlyTheCallers() {
        List<JobCostRow> alicesOwn = List.of(finished(1, "alice", 1));
        JobActivity everyone = new JobActivity(1, T0);   // someone else's job is running

        CostReport report = REPORTS.report(alicesOwn, Map.of(), everyone, AWS_CONTROLLER, T0.plus(Duration.ofHours(10)));

        assertTrue(suggestion(report, "IDLE_CONTROLLER").isEmpty(), report.suggestions().toString());
    }

    @Test
    void aStoppedControllerIsNotIdleAndAFreshOneIsIdleOnlyAfterAnHourUp() {
        Instant later = T0.plus(Duration.ofHours(10));
        ControllerBilling stopped = billing("aws", "us-east-1", awsVm(1, T0.minus(Duration.ofDays(1)), T0));
        assertTrue(suggestion(report(List.of(), stopped, later), "IDLE_CONTROLLER").isEmpty());

        List<JobCostRow> old = List.of(finished(1, "alice", 1));
        ControllerBilling fresh = billing("aws", "us-east-1", awsVm(2, later.minus(Duration.ofMinutes(30)), null));
        assertTrue(suggestion(report(old, fresh, later), "IDLE_CONTROLLER").isEmpty());
        assertTrue(suggestion(report(old, fresh, later.plus(Duration.ofHours(2))), "IDLE_CONTROLLER").orElseThrow()
                .message().startsWith("controller idle for 2 h "));

        ControllerBilling noJobYet = billing("aws", "us-east-1", awsVm(3, T0, null));
        assertTrue(suggestion(report(List.of(), noJobYet, T0.plus(Duration.ofHours(2))), "IDLE_CONTROLLER")
                .orElseThrow().message().startsWith("controller idle (no job yet) on aws/us-east-1"));
    }

    // ---------------------------------------------------------------- where the controller should live

    @Test
    void aCheaperCloudForTheControllerIsNamedWithItsSavingPerDay() {
        CostReport.Suggestion placement = suggestion(report(List.of(), AWS_CONTROLLER, T0), "CONTROLLER_PLACEMENT")
                .orElseThrow();

        double saving = (T3_XLARGE - E2_STANDARD_4) * 24;
        assertEquals(Money.round(saving), placement.savingUsd());
        assertEquals((int) Math.round(100 * saving / (T3_XLARGE * 24)), placement.savingPercent());
        assertEquals("the controller (cpus 4+, memory 16+ GiB) costs $3.99/day on aws/us-east-1 (t3.xlarge); "
                + "the cheapest fitting on-demand offer per cloud: gcp/us-central1 e2-standard-4 $3.22/day, "
                + "aws/us-east-1 t3.xlarge $3.99/day, azure/eastus Standard_D4as_v5 $4.13/day; moving it to "
                + "gcp/us-central1 saves $0.78/day: crossjobs controller migrate --cloud gcp --region us-central1",
                placement.message());
    }

    @Test
    void aControllerAlreadyAtTheCheapestPlaceGetsNoPlacementAdvice() {
        ControllerBilling onGcp = billing("gcp", "us-central1", gcpVm(1, T0.minus(Duration.ofDays(1)), null));

        assertTrue(suggestion(report(List.of(), onGcp, T0), "CONTROLLER_PLACEMENT").isEmpty());
    }

    @Test
    void aStoppedControllerIsComparedAtItsNewestVmsPrice() {
        ControllerBilling stopped = billing("aws", "us-east-1", awsVm(1, T0.minus(Duration.ofDays(1)), T0));

        assertTrue(suggestion(report(List.of(), stopped, T0.plus(Duration.ofHours(3))), "CONTROLLER_PLACEMENT")
                .isPresent());
    }
}

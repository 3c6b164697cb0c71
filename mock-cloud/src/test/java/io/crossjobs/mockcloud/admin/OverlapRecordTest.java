package io.crossjobs.mockcloud.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.crossjobs.mockcloud.sim.Cloud;
import io.crossjobs.mockcloud.sim.EchoRunner;
import io.crossjobs.mockcloud.sim.LaunchRequest;
import io.crossjobs.mockcloud.sim.MutableClock;
import io.crossjobs.mockcloud.sim.SimulatorSettings;
import io.crossjobs.mockcloud.sim.VmSimulator;
import io.crossjobs.mockcloud.sim.VmView;

/** The overlap record as the simulator feeds it: real launches, terminations, preemptions and ticks. */
class OverlapRecordTest {
    private final MutableClock clock = new MutableClock();
    private final OverlapRecord record = new OverlapRecord();
    private final VmSimulator sim = new VmSimulator(SimulatorSettings.defaults()
            .withBootDelay(Duration.ofSeconds(1)).withShutdownDelay(Duration.ofSeconds(1)), clock, new EchoRunner(),
            record);

    @AfterEach
    void close() {
        sim.close();
    }

    private VmView launch(String job, String cluster, String attempt, int count) {
        Map<String, String> tags = cluster == null ? Map.of("crossjobs-job-id", job)
                : Map.of("crossjobs-job-id", job, "crossjobs-cluster", cluster, "crossjobs-attempt", attempt);
        return sim.launch(new LaunchRequest(Cloud.AWS, "us-east-1", "us-east-1a", "m5.large", "ami-1", tags, false,
                "#!/bin/sh\n".getBytes(StandardCharsets.UTF_8), count, "RunInstances", null, null, null, null))
                .vms().get(0);
    }

    private OverlapRecord.JobOverlap of(String job) {
        return record.jobs(0).stream().filter(j -> j.jobId().equals(job)).findFirst().orElseThrow();
    }

    @Test
    void attemptsOneAfterTheOtherNeverOverlap() {
        VmView first = launch("7", "cj-7-1", "1", 1);
        clock.advance(Duration.ofSeconds(2));
        sim.tick();
        sim.terminate(List.of(first.id()), v -> true);
        launch("7", "cj-7-2", "2", 1);

        OverlapRecord.JobOverlap job = of("7");
        assertEquals(1, job.maxClustersAlive());
        assertEquals(2, job.instancesLaunched());
        assertEquals(1, job.clustersAliveNow());
        assertEquals(List.of(), record.jobs(2));
    }

    @Test
    void twoAttemptsAliveAtOnceCountTwiceEvenWhenTheSecondIsShortLived() {
        launch("8", "cj-8", "1", 1);
        VmView second = launch("8", "cj-8", "2", 1);
        sim.preempt(second.id(), Duration.ZERO);

        OverlapRecord.JobOverlap job = of("8");
        assertEquals(2, job.maxClustersAlive());
        assertEquals(List.of("cj-8#1", "cj-8#2"), job.clustersAliveAtMax());
        assertEquals(1, job.clustersAliveNow());
        assertEquals(List.of("8"), record.jobs(2).stream().map(OverlapRecord.JobOverlap::jobId).toList());
    }

    @Test
    void theNodesOfOneClusterAreOneCluster() {
        launch("9", "cj-9", "1", 3);

        OverlapRecord.JobOverlap job = of("9");
        assertEquals(1, job.maxClustersAlive());
        assertEquals(3, job.maxInstancesAlive());
    }

    @Test
    void instancesWithoutClusterTagsCountOneEachAndResetForgetsThem() {
        launch("10", null, null, 1);
        launch("10", null, null, 1);
        assertEquals(2, of("10").maxClustersAlive());

        sim.reset();
        record.clear();
        assertEquals(List.of(), record.jobs(0));
    }
}

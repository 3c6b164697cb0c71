package io.crossjobs.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.crossjobs.testsupport.ProjectRoot;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The benchmark runs end to end at a tiny size and writes its report; no figure is judged here. */
class BenchmarkSmokeIT {

    @Test
    void aTinyRunFillsEveryPartOfTheReport() throws Exception {
        Path root = ProjectRoot.find();
        Path json = root.resolve("bench/target/smoke/bench-report.json");
        Files.deleteIfExists(json);

        // every phase at a few jobs: what is checked is that each part of the report is there, not a figure
        Benchmark.main(new String[] {"--warmup=10", "--light-rate=5", "--rate=10", "--load-seconds=2",
                "--target-rate=15", "--concurrency=2", "--saturation-seconds=1", "--job-seconds=1", "--live-levels=10",
                "--raw-samples=20", "--drain-seconds=120", "--report=" + root.relativize(json)});

        JsonNode report = new ObjectMapper().readTree(json.toFile());
        assertEquals(20, report.path("rawKafkaHop").path("count").asInt());
        assertEquals(20, report.path("rawPostgresCommit").path("count").asInt());
        assertEquals(20, report.path("fixedLoad").path("accepted").asInt(), "every offered submission accepted");
        assertEquals(30, report.path("targetLoad").path("accepted").asInt(), "every target-rate submission accepted");
        assertTrue(report.path("saturation").path("accepted").asInt() > 0);
        assertTrue(report.path("launchesInFlightMax").asInt() > 0, "launches in flight counted");
        assertTrue(report.path("drainSeconds").isNumber(), "the load's jobs all finished: " + report.path("drainSeconds"));
        assertEquals(20, report.path("hops").path("job-requests → controller → launch command").path("count").asInt(),
                "every fixed-load job traced through the controller");
        assertEquals(20, report.path("hops").path("launch command → provisioner → cloud call").path("count").asInt(),
                "every fixed-load job's launch found in the cloud");
        assertEquals(10, report.path("lightLoad").path("accepted").asInt(), "every light-load submission accepted");
        assertEquals(10, report.path("lightHops").path("cloud running → job-status at subscriber").path("count").asInt(),
                "every light-load job traced from the cloud to the subscriber");
        JsonNode level = report.path("liveJobs").get(0);
        assertEquals(10, level.path("live").asInt());
        assertTrue(level.path("controllerHeapMiB").asDouble() > 0);
        assertTrue(level.path("controllerRssMiB").asDouble() > 0);
    }
}

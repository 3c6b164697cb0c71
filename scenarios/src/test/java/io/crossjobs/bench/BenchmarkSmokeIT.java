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
        Path json = root.resolve("scenarios/target/smoke/bench-report.json");
        Files.deleteIfExists(json);

        Benchmark.main(new String[] {"--warmup=20", "--light-rate=10", "--rate=20", "--load-seconds=2", "--target-rate=30", "--concurrency=4", "--saturation-seconds=2",
                "--job-seconds=1", "--live-levels=30", "--raw-samples=50", "--drain-seconds=120",
                "--queue-jobs=2000", "--queue-requests=20",
                "--report=" + root.relativize(json)});

        JsonNode report = new ObjectMapper().readTree(json.toFile());
        assertEquals(50, report.path("rawKafkaHop").path("count").asInt());
        assertEquals(50, report.path("rawPostgresCommit").path("count").asInt());
        assertEquals(40, report.path("fixedLoad").path("accepted").asInt(), "every offered submission accepted");
        assertEquals(60, report.path("targetLoad").path("accepted").asInt(), "every target-rate submission accepted");
        assertTrue(report.path("saturation").path("accepted").asInt() > 0);
        assertTrue(report.path("launchesInFlightMax").asInt() > 0, "launches in flight counted");
        assertTrue(report.path("drainSeconds").isNumber(), "the load's jobs all finished: " + report.path("drainSeconds"));
        assertEquals(40, report.path("hops").path("job-requests → controller → launch command").path("count").asInt(),
                "every fixed-load job traced through the controller");
        assertEquals(40, report.path("hops").path("launch command → provisioner → cloud call").path("count").asInt(),
                "every fixed-load job's launch found in the cloud");
        assertEquals(20, report.path("lightLoad").path("accepted").asInt(), "every light-load submission accepted");
        assertEquals(20, report.path("lightHops").path("cloud running → job-status at subscriber").path("count").asInt(),
                "every light-load job traced from the cloud to the subscriber");
        JsonNode level = report.path("liveJobs").get(0);
        assertEquals(30, level.path("live").asInt());
        assertTrue(level.path("controllerHeapMiB").asDouble() > 0);
        assertTrue(level.path("controllerRssMiB").asDouble() > 0);
        JsonNode cancel = report.path("bulkCancel");
        assertTrue(cancel.path("requested").asInt() >= level.path("live").asInt(), "every live job asked to cancel: " + cancel);
        assertTrue(cancel.path("answerMs").asDouble() > 0);
        assertTrue(cancel.path("allEndedSeconds").isNumber(), "every cancelled job ended: " + cancel);
        assertTrue(cancel.path("clustersGoneSeconds").isNumber(), "every cluster gone: " + cancel);
        JsonNode queue = report.path("queue");
        assertTrue(queue.path("jobs").asLong() >= 2000, "the jobs table filled: " + queue);
        assertEquals(8, queue.path("byQuery").size(), "every query timed: " + queue);
        queue.path("byQuery").forEach(q -> assertEquals(20, q.path("count").asInt(), q.toString()));
    }
}

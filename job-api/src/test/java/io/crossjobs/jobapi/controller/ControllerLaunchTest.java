package io.crossjobs.jobapi.controller;

import com.sun.net.httpserver.HttpServer;
import io.crossjobs.events.LaunchCluster;
import io.crossjobs.events.Placement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The controller VM's launch command, and its setup and run scripts under the real bash. */
class ControllerLaunchTest {
    private static final Placement GCP = Placement.builder().cloud("gcp").region("us-central1").zone("us-central1-a")
            .instanceType("e2-standard-4").pricePerHour(0.134).build();

    @TempDir
    Path home;

    @Test
    void theCommandNamesTheControllerAndCarriesOnlyTheSealedToken() {
        LaunchCluster command = new ControllerLaunch("controller-1a2b3c4d", 3, GCP, "/opt/quarkus-run.jar", "java",
                "-Xmx384m", "http://job-api:8080/controller/bootstrap", "v1:sealed").command();
        assertEquals("controller-1a2b3c4d", command.jobId());
        assertEquals("cj-controller-1a2b3c4d-3", command.clusterName());
        assertEquals(3, command.attempt());
        assertEquals(1, command.numNodes());
        assertEquals(Map.of(ControllerLaunch.BOOTSTRAP_TOKEN_ENV, "v1:sealed"), command.secrets());
        assertEquals("http://job-api:8080/controller/bootstrap", command.envs().get(ControllerLaunch.BOOTSTRAP_URL_ENV));
    }

    @Test
    void aLocalArtifactRunsAsItIs() throws Exception {
        Path jar = Files.writeString(home.resolve("quarkus-run.jar"), "not really a jar");
        Result r = run(jar.toString());
        assertEquals(0, r.exit(), r.output());
        assertTrue(r.output().contains("controller-service at " + jar), r.output());
        assertTrue(r.output().contains("-Xmx64m -jar " + jar), r.output());
    }

    @Test
    void anArtifactUrlIsDownloadedUnpackedOnceAndRun() throws Exception {
        Path app = Files.createDirectories(home.resolve("build/quarkus-app"));
        Files.writeString(app.resolve("quarkus-run.jar"), "not really a jar");
        Path tarball = home.resolve("controller-service.tar.gz");
        Process tar = new ProcessBuilder("tar", "czf", tarball.toString(), "-C", home.resolve("build").toString(),
                "quarkus-app").inheritIO().start();
        assertEquals(0, tar.waitFor());
        AtomicInteger downloads = new AtomicInteger();
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/controller-service.tar.gz", exchange -> {
            downloads.incrementAndGet();
            byte[] body = Files.readAllBytes(tarball);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        try {
            String url = "http://127.0.0.1:" + server.getAddress().getPort() + "/controller-service.tar.gz";
            Result first = run(url);
            assertEquals(0, first.exit(), first.output());
            assertTrue(first.output().contains("downloading controller-service from " + url), first.output());
            assertTrue(first.output().contains("-jar " + home.resolve("crossjobs-controller/quarkus-app/quarkus-run.jar")),
                    first.output());
            Result again = run(url);
            assertEquals(0, again.exit(), again.output());
            assertFalse(again.output().contains("downloading"), "unpacked once: " + again.output());
            assertEquals(1, downloads.get());
        } finally {
            server.stop(0);
        }
    }

    @Test
    void aDownloadThatFailsStopsTheSetup() throws Exception {
        Result r = run("http://127.0.0.1:9/nothing-listens-here.tar.gz");
        assertTrue(r.exit() != 0, r.output());
        assertFalse(r.output().contains("starting the jobs controller"), r.output());
    }

    /** SETUP then RUN as the startup script runs them, with "java" standing in as echo. */
    private Result run(String artifact) throws IOException, InterruptedException {
        Path script = Files.writeString(home.resolve("script.sh"), "bash -c \"$SETUP\" </dev/null || exit $?\n"
                + "bash -c \"$RUN\" </dev/null\n");
        ProcessBuilder pb = new ProcessBuilder("bash", script.toString()).directory(home.toFile())
                .redirectErrorStream(true);
        pb.environment().putAll(Map.of("HOME", home.toString(), "SETUP", ControllerLaunch.SETUP,
                "RUN", ControllerLaunch.RUN, "CROSSJOBS_CONTROLLER_ARTIFACT", artifact,
                "CROSSJOBS_CONTROLLER_JAVA", "echo", "CROSSJOBS_CONTROLLER_JVM_OPTIONS", "-Xmx64m",
                "CROSSJOBS_JOB_ID", "controller-1a2b3c4d"));
        Process p = pb.start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        return new Result(p.exitValue(), output);
    }

    private record Result(int exit, String output) { }
}

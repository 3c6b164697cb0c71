package io.crossjobs.stack;

import io.crossjobs.events.CloudTags;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The jobs controller runs on the cloud it is placed on: a VM launched by job-api's keeper through that cloud's
 * provisioner, whose process is the built controller-service. Losing the VM loses no job; a migration moves the VM;
 * the cost report bills the VMs' lifetimes; autostop stops an idle controller; its credentials reach only the VM.
 * The local stack places the controller on gcp ({@link LocalStack#CONTROLLER_CLOUD}) while most jobs run on aws.
 */
@ExtendWith(LocalStack.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ControllerVmIT {
    private static final Duration JOB_TIMEOUT = Duration.ofMinutes(4);
    /**
     * Jobs in flight while the controller VM is preempted and while it migrates: 8 per cloud, so every partition of
     * the job topics (4) holds several, and the provisioners of all three clouds launch and report while no
     * controller serves or while the controller moves.
     */
    private static final int JOBS = 24;
    private final JobApiClient api = JobApiClient.asAdmin();
    private final MockCloudClient cloud = new MockCloudClient(LocalStack.config());

    @Test
    @Order(1)
    void theControllerIsOneVmOnItsCloudWhoseProcessIsTheControllerAndAJobOnAwsSucceeds() {
        ControllerView controller = LocalStack.stack().controllerView().awaitServing(JOB_TIMEOUT);
        JsonPath status = api.controller();
        assertEquals(LocalStack.CONTROLLER_CLOUD, status.getString("configured.cloud"));
        assertEquals(LocalStack.CONTROLLER_CLOUD, status.getString("effective.cloud"));
        assertFalse(status.getBoolean("mismatch"), status.prettify());

        List<Map<String, Object>> vms = cloud.aliveControllerVms();
        assertEquals(1, vms.size(), () -> "exactly one live controller VM: " + vms);
        Map<String, Object> vm = vms.get(0);
        Map<String, String> tags = MockCloudClient.tags(vm);
        assertEquals(LocalStack.CONTROLLER_CLOUD, vm.get("cloud"));
        assertEquals("controller", tags.get(CloudTags.ROLE));
        assertEquals("crossjobs", tags.get(CloudTags.MANAGED_BY));
        assertEquals(status.getString("id"), tags.get(CloudTags.JOB_ID));
        assertEquals(controller.clusterName(), tags.get(CloudTags.CLUSTER));
        assertTrue(controller.clusterName().startsWith("cj-controller-"), controller.clusterName());

        long workload = ((Number) vm.get("workloadPid")).longValue();
        ProcessHandle process = ProcessHandle.of(controller.pid()).orElseThrow();
        assertTrue(ProcessHandle.of(workload).orElseThrow().descendants().anyMatch(p -> p.pid() == controller.pid()),
                "the controller process " + controller.pid() + " runs inside the VM's workload " + workload);
        String command = process.info().commandLine().orElse("");
        assertTrue(command.contains("controller-service") && command.contains("quarkus-run.jar"), command);
        System.out.printf("ControllerVmIT: controller %s serves on %s (%s), process %s inside VM workload %d%n",
                status.getString("id"), controller.where(), controller.instanceType(), controller.process(), workload);

        String id = api.submit("""
                {"name":"on-aws","resources":{"cloud":"aws"},"run":"echo job on aws, controller on gcp"}""");
        assertEquals("SUCCEEDED", api.awaitTerminal(id, JOB_TIMEOUT), () -> api.events(id).toString());
        assertEquals("aws", api.job(id).getString("cloud"));
        // the terminal status and the TerminateCluster command leave the controller together: the VM may still be
        // shutting down when the status is read
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertEquals(List.of(), cloud.aliveInstancesOf(id), "the job's VM is gone after the job"));
    }

    @Test
    @Order(2)
    void noControllerCredentialIsInItsUserDataTagsAnswersOrLogs() throws Exception {
        ControllerView controller = LocalStack.stack().controllerView().awaitServing(JOB_TIMEOUT);
        Map<String, Object> vm = cloud.instanceOfCluster(controller.clusterName());
        StackConfig config = LocalStack.config();
        String jdbcUrl = "jdbc:postgresql://" + config.postgresHostPort() + "/" + StackConfig.CONTROLLER_DATABASE;
        // the user data as Compute Engine returns it: instances.get, metadata item startup-script
        JsonPath instance = given().baseUri("http://127.0.0.1:" + config.mockCloudPort())
                .when().get("/compute/v1/projects/crossjobs-local/zones/" + vm.get("zone") + "/instances/"
                        + vm.get("name")).then().statusCode(200).extract().jsonPath();
        String userData = instance.getString("metadata.items.find { it.key == 'startup-script' }.value");
        assertNotNull(userData, instance.prettify());
        // the one-time token is a secret of the launch: fetched from object storage, not carried in the user data
        assertTrue(userData.contains("crossjobs_fetch_secrets"), "the VM fetches its secrets: " + userData);
        assertFalse(userData.contains("CROSSJOBS_BOOTSTRAP_TOKEN"), "the one-time token is in the user data");
        for (String secret : List.of(LocalStack.CANARY, jdbcUrl, "quarkus.datasource", "kafka.bootstrap.servers")) {
            assertFalse(userData.contains(secret), "user data holds " + secret);
            assertFalse(MockCloudClient.tags(vm).toString().contains(secret), "tags hold " + secret);
        }

        String answers = api.controller().prettify() + api.cost().prettify();
        assertFalse(answers.contains(LocalStack.CANARY) || answers.contains(jdbcUrl), "an answer holds a credential");
        try (Stream<Path> logs = Files.list(config.logDir())) {
            for (Path log : logs.toList()) {
                assertFalse(Files.readString(log).contains(LocalStack.CANARY), log + " holds the canary credential");
            }
        }
        String console = given().baseUri("http://127.0.0.1:" + config.mockCloudPort())
                .when().get("/mock/instances/" + vm.get("id") + "/console").then().statusCode(200).extract().asString();
        assertFalse(console.contains(LocalStack.CANARY), "the VM's console holds the canary credential");
    }

    @Test
    @Order(3)
    void preemptingTheControllerVmWhileItsJobsRunLosesNoneAndLaunchesNoneTwice() throws Exception {
        ControllerView before = LocalStack.stack().controllerView().awaitServing(JOB_TIMEOUT);
        // jobs still running at the preemption end while no controller serves, and are taken up by the replacement.
        // They run until the test releases them (mock VMs are processes of this machine, so a file does), at most
        // 5 minutes: all run at once however long the launches take on a busy machine
        Path release = LocalStack.config().stateDir().resolve("release-" + java.util.UUID.randomUUID());
        List<String> jobs = submit("while-preempted", JOBS,
                "for i in $(seq 300); do [ -e " + release + " ] && break; sleep 1; done");
        Instant preempted;
        try {
            await().atMost(JOB_TIMEOUT).pollInterval(Duration.ofSeconds(1)).until(() -> jobs.stream()
                    .filter(id -> "RUNNING".equals(api.status(id))).count() == jobs.size());

            Map<String, Object> vm = cloud.instanceOfCluster(before.clusterName());
            preempted = Instant.now();
            cloud.preempt(String.valueOf(vm.get("id")));
        } finally {
            Files.createFile(release);
        }
        ControllerView after = LocalStack.stack().controllerView().awaitServing(JOB_TIMEOUT,
                c -> !c.clusterName().equals(before.clusterName()));
        long seconds = Duration.between(preempted, Instant.now()).toSeconds();
        System.out.printf("ControllerVmIT: controller VM %s preempted with %d jobs running; %s serves %d s later%n",
                before.clusterName(), JOBS, after.clusterName(), seconds);

        assertEachSucceededLaunchedOnce(jobs);
        assertEquals(1, cloud.aliveControllerVms().size(), "the preempted VM is replaced, not doubled");
        assertTrue(api.controller().getList("history.kind").contains("ControllerVmLost"));
    }

    @Test
    @Order(4)
    void migrationToAnotherCloudMovesTheVmWithItsJobsInFlight() {
        ControllerView before = LocalStack.stack().controllerView().awaitServing(JOB_TIMEOUT);
        assertEquals(LocalStack.CONTROLLER_CLOUD, before.cloud());

        List<String> jobs = submit("inflight", JOBS, "sleep 15");
        await().atMost(JOB_TIMEOUT).until(() -> jobs.stream()
                .filter(id -> List.of("STARTING", "RUNNING").contains(api.status(id))).count() >= JOBS / 2);
        Instant asked = Instant.now();
        migrateAndWait("azure", "eastus");
        System.out.printf("ControllerVmIT: migration " + LocalStack.CONTROLLER_CLOUD
                + " -> azure with %d jobs in flight took %d s%n",
                JOBS, Duration.between(asked, Instant.now()).toSeconds());

        // the old VM is stopped once the new one serves: its terminate may still be on its way
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            List<Map<String, Object>> alive = cloud.aliveControllerVms();
            assertEquals(1, alive.size(), () -> "one live controller VM: " + alive);
            assertEquals("azure", alive.get(0).get("cloud"));
        });
        assertEachSucceededLaunchedOnce(jobs);

        JsonPath status = api.controller();
        assertEquals("azure", status.getString("effective.cloud"));
        List<Map<String, Object>> migrations = status.getList("migrations");
        Map<String, Object> last = migrations.get(0);
        assertEquals(LocalStack.CONTROLLER_CLOUD, ((Map<?, ?>) last.get("from")).get("cloud"));
        assertEquals("azure", ((Map<?, ?>) last.get("to")).get("cloud"));
        assertEquals(Boolean.TRUE, last.get("completed"));
        List<String> clouds = status.getList("vms.cloud");
        assertTrue(clouds.contains(LocalStack.CONTROLLER_CLOUD) && clouds.contains("azure"),
                "the history lists both VMs: " + clouds);
    }

    @Test
    @Order(5)
    void theCostReportBillsTheControllerVmsLifetimesAtTheirCatalogPrice() {
        JsonPath status = api.controller();
        JsonPath cost = api.cost();
        Instant now = Instant.now();
        double expected = 0;
        double livePerSecond = 0;
        for (Map<String, Object> vm : status.<Map<String, Object>>getList("vms")) {
            if ("FAILED".equals(vm.get("state"))) continue;
            Instant from = Instant.parse((String) vm.get("launchedAt"));
            Instant to = vm.get("endedAt") == null ? now : Instant.parse((String) vm.get("endedAt"));
            double price = ((Number) vm.get("pricePerHour")).doubleValue();
            expected += price * Duration.between(from, to).toMillis() / 3_600_000d;
            if (vm.get("endedAt") == null) livePerSecond += price / 3600;
        }
        double billed = cost.getDouble("controller.cost");
        System.out.printf("ControllerVmIT: controller cost %.6f USD over %d VMs (expected %.6f)%n", billed,
                status.getList("vms").size(), expected);
        assertEquals(expected, billed, livePerSecond * 5 + 1e-6, "lifetimes × catalog price");
        assertEquals(status.getList("vms").stream().filter(v -> !"FAILED".equals(((Map<?, ?>) v).get("state"))).count(),
                cost.getList("controller.vms").size());
    }

    @Test
    @Order(6)
    void aChangedPlacementOnRestartIsReportedAndHasNoEffect() throws Exception {
        String cluster = LocalStack.stack().controllerView().awaitServing(JOB_TIMEOUT).clusterName();
        LocalStack.stack().restart("job-api", false, Map.of("jobs.controller.resources.cloud", "aws",
                "jobs.controller.resources.region", "us-east-2"));
        JsonPath after = api.controller();
        assertEquals("aws", after.getString("configured.cloud"));
        assertEquals("azure", after.getString("effective.cloud"), "a restart does not move the controller");
        assertTrue(after.getBoolean("mismatch"));
        assertTrue(after.getString("message").contains("no effect"), after.prettify());
        assertEquals(cluster, LocalStack.stack().controllerView().awaitServing(JOB_TIMEOUT).clusterName());
    }

    @Test
    @Order(7)
    void autostopTerminatesTheIdleControllerAndTheNextSubmissionRuns() throws Exception {
        await().atMost(JOB_TIMEOUT).until(() -> api.controllerNow().path("state").asText().equals("SERVING"));
        LocalStack.stack().restart("job-api", false, Map.of("jobs.controller.autostop", "3s"));
        try {
            await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(500))
                    .until(() -> "IDLE_STOPPED".equals(api.controllerNow().path("state").asText())
                            && cloud.aliveControllerVms().isEmpty());
            Instant submitted = Instant.now();
            String id = api.submit("""
                    {"name":"after-autostop","resources":{"cloud":"aws"},"run":"echo the controller is back"}""");
            assertEquals("SUCCEEDED", api.awaitTerminal(id, JOB_TIMEOUT), () -> api.events(id).toString());
            System.out.printf("ControllerVmIT: after autostop, a submission ran to SUCCEEDED in %d s%n",
                    Duration.between(submitted, Instant.now()).toSeconds());
            assertTrue(api.controller().getList("history.kind").contains("ControllerIdleStopped"));
        } finally {
            LocalStack.stack().restart("job-api", false, Map.of("jobs.controller.autostop", ""));
            LocalStack.stack().controllerView().awaitServing(JOB_TIMEOUT);
        }
    }

    private void migrateAndWait(String toCloud, String toRegion) {
        api.migrateController(toCloud, toRegion);
        await().atMost(JOB_TIMEOUT).pollInterval(Duration.ofMillis(500)).until(() -> {
            var s = api.controllerNow();
            return "SERVING".equals(s.path("state").asText()) && toCloud.equals(s.path("effective").path("cloud").asText())
                    && toRegion.equals(s.path("effective").path("region").asText());
        });
    }

    private List<String> submit(String prefix, int count, String run) {
        List<String> jobs = new ArrayList<>();
        String[] clouds = {"aws", "gcp", "azure"};
        for (int i = 0; i < count; i++) {
            jobs.add(api.submit("""
                    {"name":"%s-%d","resources":{"cloud":"%s"},"run":"%s; echo %s %d done"}"""
                    .formatted(prefix, i, clouds[i % clouds.length], run, prefix, i)));
        }
        return jobs;
    }

    /** Each job SUCCEEDED on its first attempt, with one VM: the statuses and the inventory read once for all. */
    private void assertEachSucceededLaunchedOnce(List<String> jobs) {
        Map<String, String> statuses = api.awaitTerminal(jobs, JOB_TIMEOUT);
        Map<String, List<Map<String, Object>>> instances = cloud.instancesByJob();
        for (String id : jobs) {
            assertEquals("SUCCEEDED", statuses.get(id), () -> "job " + id + ": " + api.events(id));
            assertEquals(1, instances.getOrDefault(id, List.of()).size(),
                    () -> "job " + id + " launched once: " + api.events(id));
            JsonPath job = api.job(id);
            assertEquals(1, job.getInt("attempt"));
            assertEquals(0, job.getInt("recoveryCount"));
        }
    }
}

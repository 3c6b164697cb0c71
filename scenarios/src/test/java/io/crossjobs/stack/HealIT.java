package io.crossjobs.stack;

import io.crossjobs.stack.CrossjobsCommand.Run;
import io.crossjobs.testsupport.ProjectRoot;
import io.crossjobs.testsupport.ServiceProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The stack heals: kill -9 of a service while a job runs, and the launcher starts it again by itself (same port,
 * same settings), {@code ./crossjobs status} counts the restart, and the job SUCCEEDS.
 */
@ExtendWith(LocalStack.class)
class HealIT {
    private static final Duration JOB_TIMEOUT = Duration.ofMinutes(4);
    private static final Duration BACK_TIMEOUT = Duration.ofMinutes(2);
    private final JobApiClient api = JobApiClient.asAdmin();
    private final StackConfig config = LocalStack.config();

    /** job-api, a provisioner and the controller at once, while the job's run goes on on its VM. */
    @Test
    void servicesKilledWhileAJobRunsAreBackByThemselvesAndTheJobSucceeds() throws Exception {
        ControllerView controller = LocalStack.stack().controllerView().awaitServing(JOB_TIMEOUT);
        Map<String, Integer> before = restarts();
        String id = api.submit(job("heal", 25));
        api.awaitStatus(id, "RUNNING", JOB_TIMEOUT);
        long jobApi = pidOf("job-api");
        long provisioner = pidOf("provisioner-aws");

        kill9(jobApi);
        kill9(provisioner);
        kill9(controller.pid());

        awaitReady(config.jobApiPort());
        awaitReady(config.provisionerAwsPort());
        assertNotEquals(jobApi, pidOf("job-api"));
        assertNotEquals(provisioner, pidOf("provisioner-aws"));
        String lost = controller.clusterName();
        LocalStack.stack().controllerView().awaitServing(JOB_TIMEOUT, c -> !c.clusterName().equals(lost));
        assertEquals("SUCCEEDED", api.awaitTerminal(id, JOB_TIMEOUT), () -> "events: " + api.events(id));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertTrue(api.logs(id).contains("heal done"), () -> "logs: " + api.logs(id)));
        Map<String, Integer> after = restarts();
        for (String name : List.of("job-api", "provisioner-aws", Stack.CONTROLLER)) {
            assertEquals(before.get(name) + 1, after.get(name), () -> name + " restarts, before " + before + ", after " + after);
        }
        assertEquals(before.get("mock-cloud"), after.get("mock-cloud"));
    }

    /**
     * mock-cloud stands for the clouds: its VMs go with it (its start kills what an earlier run left), so the job's
     * VM is lost and the controller recovers the job on a new one, as after a preemption. The provisioners are
     * restarted 30 s after it is back, once they have reported the lost VMs, since they hold what its start makes
     * anew (buckets, key, certificate); the controller VM, lost too, is replaced once they are: minutes, not seconds.
     */
    @Test
    void mockCloudKilledWhileAJobRunsIsBackAndTheJobSucceedsOnANewVm() throws Exception {
        LocalStack.stack().controllerView().awaitServing(JOB_TIMEOUT);
        Map<String, Integer> before = restarts();
        String id = api.submit(job("heal-cloud", 15));
        api.awaitStatus(id, "RUNNING", JOB_TIMEOUT);
        long mockCloud = pidOf("mock-cloud");

        kill9(mockCloud);

        awaitReady(config.mockCloudPort());
        assertNotEquals(mockCloud, pidOf("mock-cloud"));
        assertEquals("SUCCEEDED", api.awaitTerminal(id, Duration.ofMinutes(7)), () -> "events: " + api.events(id));
        assertEquals(1, api.job(id).getInt("recoveryCount"), () -> "events: " + api.events(id));
        LocalStack.stack().controllerView().awaitServing(JOB_TIMEOUT);
        await().atMost(BACK_TIMEOUT).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
            Map<String, Integer> after = restarts();
            for (String name : List.of("mock-cloud", "provisioner-aws", "provisioner-gcp", "provisioner-azure")) {
                assertEquals(before.get(name) + 1, after.get(name), () -> name + ": before " + before + ", after " + after);
            }
        });
        for (int port : List.of(config.provisionerAwsPort(), config.provisionerGcpPort(), config.provisionerAzurePort())) {
            awaitReady(port);
        }
    }

    private static String job(String name, int seconds) {
        return """
                {"name":"%s","resources":{"cloud":"aws"},"run":"echo %s start; sleep %d; echo %s done"}"""
                .formatted(name, name, seconds, name);
    }

    private static long pidOf(String name) {
        return LocalStack.stack().processes().stream().filter(p -> p.name().equals(name)).mapToLong(ServiceProcess::pid)
                .findFirst().orElseThrow(() -> new AssertionError(name + " is not a process of the stack"));
    }

    private static void kill9(long pid) {
        ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
    }

    /** Until the service on {@code port} answers its readiness check again. */
    private static void awaitReady(int port) {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        HttpRequest ready = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/q/health/ready"))
                .timeout(Duration.ofSeconds(5)).build();
        await().atMost(BACK_TIMEOUT).pollInterval(Duration.ofMillis(500)).ignoreExceptions()
                .until(() -> http.send(ready, HttpResponse.BodyHandlers.discarding()).statusCode() == 200);
    }

    /** The RESTARTS column of {@code ./crossjobs status} for this stack, by process name. */
    private Map<String, Integer> restarts() throws Exception {
        Run status = CrossjobsCommand.run(ProjectRoot.find(), Duration.ofMinutes(1), Map.of(
                "CROSSJOBS_STATE_DIR", config.stateDir().toString(),
                "CROSSJOBS_JOB_API_PORT", String.valueOf(config.jobApiPort())), "status");
        assertEquals(0, status.exit(), status::describe);
        List<String> lines = status.out().lines().toList();
        assertTrue(lines.get(0).startsWith("PROCESS"), status::describe);
        int column = lines.get(0).indexOf("RESTARTS");
        Map<String, Integer> restarts = new HashMap<>();
        for (String line : lines.subList(1, lines.size())) {
            String value = line.substring(column).trim().split("\\s+")[0];
            if (!value.equals("-")) restarts.put(line.split("\\s+")[0], Integer.parseInt(value));
        }
        assertTrue(restarts.keySet().containsAll(List.of("job-api", "mock-cloud", "provisioner-aws", Stack.CONTROLLER)),
                status::describe);
        return restarts;
    }
}

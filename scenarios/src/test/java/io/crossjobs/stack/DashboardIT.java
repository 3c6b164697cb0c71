package io.crossjobs.stack;

import io.crossjobs.testsupport.ProjectRoot;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The dashboard in a real browser: headless Chromium signs in with the stack's admin token, submits a task
 * from the form (first a bad one, whose field errors appear next to it), and watches the job reach SUCCEEDED
 * and its logs arrive without a page reload. Skipped (with the reason) when Chromium or chromedriver is missing.
 * A pipeline's page lists its tasks in order with their status, placement, times and each task's own logs.
 * Screenshots under scenarios/target/: dashboard.png (the job page), dashboard-submit.png (field errors),
 * dashboard-jobs.png (the table), dashboard-cost.png (cost and controller placement) and dashboard-pipeline.png (a
 * pipeline's tasks).
 */
@ExtendWith({DashboardIT.BrowserInstalled.class, LocalStack.class})
class DashboardIT {
    private static final Path CHROMIUM = Path.of(System.getProperty("crossjobs.chromium", "/usr/bin/chromium"));
    private static final Path CHROMEDRIVER =
            Path.of(System.getProperty("crossjobs.chromedriver", "/usr/bin/chromedriver"));
    private static final Duration JOB_TIMEOUT = Duration.ofMinutes(2);
    private static final Duration UI_TIMEOUT = Duration.ofSeconds(30);

    private static ChromeDriverService service;
    private static WebDriver browser;
    private static Path profile;
    private final JobApiClient api = JobApiClient.asAdmin();

    /**
     * Evaluated before LocalStack starts anything, so a machine without a browser skips this class (reported as
     * skipped, with the reason) instead of starting the stack for nothing.
     */
    static final class BrowserInstalled implements ExecutionCondition {
        @Override
        public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
            if (Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER)) {
                return ConditionEvaluationResult.enabled("Chromium and chromedriver are installed");
            }
            String reason = "DashboardIT skipped: it needs " + CHROMIUM + " and " + CHROMEDRIVER
                    + "; install them with `apt-get install -y chromium chromium-driver` (or point "
                    + "-Dcrossjobs.chromium / -Dcrossjobs.chromedriver at them)";
            System.out.println(reason);
            return ConditionEvaluationResult.disabled(reason);
        }
    }

    @BeforeAll
    static void openBrowser() throws IOException {
        Path target = ProjectRoot.find().resolve("scenarios/target");
        profile = Files.createTempDirectory(target, "chromium-profile-");
        service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort()
                .withLogFile(target.resolve("chromedriver.log").toFile())
                .build();
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-dev-shm-usage", "--window-size=1400,1000", "--user-data-dir=" + profile);
        browser = new ChromeDriver(service, options);
    }

    @AfterAll
    static void closeBrowser() throws IOException {
        if (browser != null) browser.quit();
        if (service != null) service.stop();
        if (profile != null) {
            try (var files = Files.walk(profile)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    /** Each test signs in itself: the token another one left in localStorage would skip its sign-in form. */
    @BeforeEach
    void signedOut() {
        browser.get(base() + "/");
        js("localStorage.clear()");
    }

    @Test
    void pageIsOpenButTheApiStillNeedsAToken() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        HttpResponse<String> page = http.send(HttpRequest.newBuilder(URI.create(base() + "/")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, page.statusCode());
        assertTrue(page.headers().firstValue("Content-Type").orElse("").startsWith("text/html"));
        for (String path : List.of("/jobs", "/jobs/stream", "/controller", "/cost")) {
            HttpResponse<String> call = http.send(HttpRequest.newBuilder(URI.create(base() + path)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(401, call.statusCode(), path + " without a token");
        }
    }

    @Test
    void submitFromTheFormAndWatchTheJobSucceedLive() throws IOException {
        // other clouds' jobs for the table and the cloud filter
        String gcpJob = api.submit("""
                {"name":"dash-gcp","resources":{"cloud":"gcp"},"run":"echo on gcp"}""");
        String failing = api.submit("""
                {"name":"dash-fails","resources":{"cloud":"azure"},"run":"echo giving up; exit 3"}""");

        browser.get(base() + "/");
        signIn();
        // a marker that a page reload would wipe: everything below must happen live
        js("window.__sameDocument = 'yes'");

        browser.findElement(By.cssSelector("nav a[data-view=new]")).click();
        WebElement yaml = visible(By.id("yaml"));
        setYaml(yaml, """
                name: dash hello
                resources:
                  cloud: aws
                  cpus: lots
                run: echo hi
                """);
        browser.findElement(By.id("submit")).click();
        await("the field errors listed next to the form").atMost(UI_TIMEOUT)
                .until(() -> fieldErrors().containsAll(List.of("name", "resources.cpus")));
        screenshot("dashboard-submit.png");

        setYaml(yaml, """
                name: dash-hello
                resources:
                  cloud: aws
                  cpus: 2+
                run: |
                  echo "hello from the dashboard, job $CROSSJOBS_JOB_ID"
                  sleep 2
                  echo "all done"
                """);
        browser.findElement(By.id("submit")).click();
        await("the new job's page opened").atMost(UI_TIMEOUT)
                .until(() -> browser.getCurrentUrl().matches(".*#/jobs/\\d+$"));
        String id = browser.getCurrentUrl().replaceAll(".*#/jobs/", "");
        await("the job page shows the job").atMost(UI_TIMEOUT).until(() -> "dash-hello".equals(text("#job-name")));

        await("the job page shows SUCCEEDED without a reload").atMost(JOB_TIMEOUT)
                .pollInterval(Duration.ofMillis(250))
                .until(() -> "SUCCEEDED".equals(text("#job-status")));
        await("the logs appear on the job page").atMost(UI_TIMEOUT)
                .until(() -> text("#logs").contains("hello from the dashboard, job " + id + " all done"));
        await("the timeline shows RUNNING").atMost(UI_TIMEOUT)
                .until(() -> text("#timeline").contains("RUNNING"));
        // the follow stream ends by itself once the job has finished and its last output was sent
        await("the log stream ended after the job").atMost(UI_TIMEOUT)
                .until(() -> "complete".equals(text("#logs-state")));
        assertEquals("aws", text("#job-cloud"));
        assertTrue(browser.findElement(By.id("cancel")).getDomAttribute("disabled") != null,
                "a finished job cannot be cancelled");
        assertEquals("yes", js("return window.__sameDocument"), "the page was not reloaded");
        screenshot("dashboard.png");

        browser.findElement(By.cssSelector("nav a[data-view=jobs]")).click();
        api.awaitTerminal(gcpJob, JOB_TIMEOUT);
        assertEquals("FAILED", api.awaitTerminal(failing, JOB_TIMEOUT));
        await("the table shows the final statuses").atMost(UI_TIMEOUT)
                .until(() -> "SUCCEEDED".equals(rowStatus(id)) && "FAILED".equals(rowStatus(failing)));
        browser.findElement(By.cssSelector("#filter-cloud option[value=gcp]")).click();
        await("the cloud filter keeps only the gcp job").atMost(UI_TIMEOUT)
                .until(() -> rowIds().contains(gcpJob) && !rowIds().contains(id));
        browser.findElement(By.cssSelector("#filter-cloud option[value='']")).click();
        await("clearing the filter shows all three jobs").atMost(UI_TIMEOUT)
                .until(() -> rowIds().containsAll(List.of(id, gcpJob, failing)));
        assertEquals("yes", js("return window.__sameDocument"), "the page was not reloaded");
        screenshot("dashboard-jobs.png");

        browser.findElement(By.cssSelector("nav a[data-view=cost]")).click();
        var controller = api.controller();
        String effective = controller.getString("effective.cloud") + " " + controller.getString("effective.region");
        await("the effective controller placement shown").atMost(UI_TIMEOUT)
                .until(() -> text("#controller-placement tr:last-child").startsWith("Effective " + effective));
        await("the cost view lists jobs and owners").atMost(UI_TIMEOUT)
                .until(() -> text("#cost-owners").contains("admin")
                        && !browser.findElements(By.cssSelector("#cost-jobs tr")).isEmpty()
                        && text("#cost-total").startsWith("$"));
        screenshot("dashboard-cost.png");
    }

    @Test
    void aPipelinesPageShowsItsTasksInOrderEachWithItsPlacementAndOutput() throws Exception {
        String id = api.submitYaml("""
                name: dash-pipeline
                ---
                name: prepare
                resources:
                  infra: aws/us-east-1
                run: |
                  echo "prepare wrote shard-0 of job $CROSSJOBS_JOB_ID"
                ---
                name: evaluate
                resources:
                  infra: gcp
                run: |
                  echo "evaluate read shard-0, accuracy 0.93"
                """);
        browser.get(base() + "/");
        // signing in waits for the status stream: the page reads the job once, then follows its changes
        signIn();
        js("location.hash = arguments[0]", "#/jobs/" + id);
        await("the pipeline's tasks listed in order").atMost(UI_TIMEOUT)
                .until(() -> taskNames().equals(List.of("prepare", "evaluate")));
        js("window.__sameDocument = 'pipeline'");
        // open both tasks' logs at once: the second one's starts by itself when the pipeline reaches it
        js("document.querySelectorAll('#tasks details').forEach(d => d.open = true)");

        await("both tasks SUCCEEDED, in order, without a reload").atMost(JOB_TIMEOUT)
                .pollInterval(Duration.ofMillis(250))
                .until(() -> taskStatuses().equals(List.of("SUCCEEDED", "SUCCEEDED")));
        String prepared = "prepare wrote shard-0 of job " + id, evaluated = "evaluate read shard-0, accuracy 0.93";
        await("each task's own output, and only its own").atMost(UI_TIMEOUT).until(() -> {
            String first = text("#tasks li[data-index='0'] .task-log");
            String second = text("#tasks li[data-index='1'] .task-log");
            return first.contains(prepared) && !first.contains(evaluated)
                    && second.contains(evaluated) && !second.contains(prepared);
        });
        await("both logs complete").atMost(UI_TIMEOUT).until(() ->
                "complete complete".equals(text("#tasks li[data-index='0'] .task-log-state") + " "
                        + text("#tasks li[data-index='1'] .task-log-state")));

        var tasks = io.restassured.path.json.JsonPath.from(tasksJson(id));
        assertEquals("aws", tasks.getString("[0].placement.cloud"));
        assertEquals("us-east-1", tasks.getString("[0].placement.region"));
        assertEquals("gcp", tasks.getString("[1].placement.cloud"));
        for (int i = 0; i < 2; i++) {
            String where = String.join(" / ", tasks.getString("[" + i + "].placement.cloud"),
                    tasks.getString("[" + i + "].placement.region"), tasks.getString("[" + i + "].placement.zone"));
            String row = "#tasks li[data-index='" + i + "'] ";
            assertEquals(where, text(row + ".task-placement"), "task " + i + "'s placement");
            assertTrue(text(row + ".task-instance").startsWith(tasks.getString("[" + i + "].placement.instanceType")),
                    text(row + ".task-instance"));
            assertTrue(text(row + ".task-duration").matches("\\d+s|\\d+m \\d+s"), text(row + ".task-duration"));
        }
        assertEquals("pipeline", js("return window.__sameDocument"), "the page was not reloaded");
        assertEquals("SUCCEEDED", text("#job-status"));
        screenshot("dashboard-pipeline.png");
    }

    private String tasksJson(String id) throws IOException, InterruptedException {
        HttpResponse<String> tasks = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create(base() + "/jobs/" + id + "/tasks"))
                .header("Authorization", "Bearer " + LocalStack.adminToken()).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, tasks.statusCode(), tasks.body());
        return tasks.body();
    }

    private List<String> taskNames() {
        return strings("return [...document.querySelectorAll('#tasks li[data-index]')]"
                + ".map(li => li.querySelector('.task-name').textContent)");
    }

    private List<String> taskStatuses() {
        return strings("return [...document.querySelectorAll('#tasks li[data-index]')].map(li => li.dataset.status)");
    }

    private void signIn() {
        WebElement token = visible(By.id("token"));
        assertTrue(text("#view-signin").contains(".crossjobs/admin-token"), "the form says where the token is");
        token.sendKeys(LocalStack.adminToken());
        browser.findElement(By.id("sign-in")).click();
        visible(By.id("jobs-body"));
        await("the status stream is connected").atMost(UI_TIMEOUT).until(() -> "live".equals(text("#live-text")));
    }

    private void setYaml(WebElement yaml, String text) {
        // sendKeys types each character: slow, and the textarea would keep the previous text's indentation
        js("arguments[0].value = arguments[1]", yaml, text);
    }

    // read in one script: the page re-renders as events arrive, so a found element may be gone a moment later
    private List<String> fieldErrors() {
        return strings("return [...document.querySelectorAll('#field-errors li')].map(li => li.dataset.field)");
    }

    private List<String> rowIds() {
        return strings("return [...document.querySelectorAll('#jobs-body tr[data-id]')].map(tr => tr.dataset.id)");
    }

    private String rowStatus(String id) {
        return (String) js("const b = document.querySelector(`#jobs-body tr[data-id='${arguments[0]}'] .badge`);"
                + " return b ? b.dataset.status : null", id);
    }

    @SuppressWarnings("unchecked")
    private List<String> strings(String script) {
        return (List<String>) js(script);
    }

    private WebElement visible(By by) {
        return await().atMost(UI_TIMEOUT).ignoreExceptions()
                .until(() -> browser.findElement(by), WebElement::isDisplayed);
    }

    private String text(String css) {
        return (String) js("const e = document.querySelector(arguments[0]);"
                + " return e ? e.innerText.replace(/\\s+/g, ' ').trim() : ''", css);
    }

    private Object js(String script, Object... args) {
        return ((JavascriptExecutor) browser).executeScript(script, args);
    }

    private void screenshot(String name) throws IOException {
        Path file = ProjectRoot.find().resolve("scenarios/target").resolve(name);
        Files.write(file, ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));
        System.out.println("DashboardIT: screenshot " + file);
    }

    private static String base() {
        return "http://127.0.0.1:" + LocalStack.config().jobApiPort();
    }
}

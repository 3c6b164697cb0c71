package io.crossjobs.stack;

import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;

/** The black-box tests' only way in: job-api's REST surface, as a user's script would use it. */
final class JobApiClient {
    private final String base;
    private final String token;

    JobApiClient(StackConfig config, String token) {
        this.base = "http://127.0.0.1:" + config.jobApiPort();
        this.token = token;
    }

    /** As the stack's bootstrap admin. */
    static JobApiClient asAdmin() {
        return new JobApiClient(LocalStack.config(), LocalStack.adminToken());
    }

    private RequestSpecification request() {
        return given().baseUri(base).auth().oauth2(token);
    }

    String submit(String json) {
        return request().contentType(ContentType.JSON).body(json)
                .when().post("/jobs")
                .then().statusCode(201).extract().path("id").toString();
    }

    /** A SkyPilot task YAML (several documents: a pipeline), as {@code sky jobs launch} users write it. */
    String submitYaml(String yaml) {
        return request().contentType("application/yaml").body(yaml.getBytes(java.nio.charset.StandardCharsets.UTF_8))
                .when().post("/jobs")
                .then().statusCode(201).extract().path("id").toString();
    }

    JsonPath job(String id) {
        return request().when().get("/jobs/" + id).then().statusCode(200).extract().jsonPath();
    }

    List<Map<String, Object>> events(String id) {
        return request().when().get("/jobs/" + id + "/events")
                .then().statusCode(200).extract().jsonPath().getList("$");
    }

    String logs(String id) {
        return request().when().get("/jobs/" + id + "/logs").then().statusCode(200).extract().asString();
    }

    /** The output of node {@code rank} of the job. */
    String logs(String id, int rank) {
        return request().when().get("/jobs/" + id + "/logs?node=" + rank).then().statusCode(200).extract().asString();
    }

    JsonPath controller() {
        return request().when().get("/controller").then().statusCode(200).extract().jsonPath();
    }

    /** Starts a migration; the answer (202, or 200 when already there) is the controller's status. */
    JsonPath migrateController(String cloud, String region) {
        return request().contentType(ContentType.JSON).body(Map.of("cloud", cloud, "region", region))
                .when().post("/controller/migrate").then().statusCode(org.hamcrest.Matchers.lessThan(300))
                .extract().jsonPath();
    }

    JsonPath cost() {
        return request().when().get("/cost").then().statusCode(200).extract().jsonPath();
    }

    /** What consumers parked, waiting for an admin (this client must be one). */
    List<Map<String, Object>> parkedEvents() {
        return request().get("/admin/parked-events?limit=1000").then().statusCode(200).extract().jsonPath()
                .getList("$");
    }

    void cancel(String id) {
        request().when().post("/jobs/" + id + "/cancel").then().statusCode(org.hamcrest.Matchers.lessThan(300));
    }

    /** Waits until the job has reached {@code status} (polled closely: some statuses are short). */
    void awaitStatus(String id, String status, Duration timeout) {
        await().atMost(timeout).pollInterval(Duration.ofMillis(100))
                .until(() -> status.equals(job(id).getString("status")));
    }

    /** Waits until the job is in a terminal status and returns that status. */
    String awaitTerminal(String id, Duration timeout) {
        await().atMost(timeout).pollInterval(Duration.ofMillis(500)).until(() -> isTerminal(job(id).getString("status")));
        return job(id).getString("status");
    }

    private static boolean isTerminal(String status) {
        return status != null && io.crossjobs.events.JobStatus.valueOf(status).isTerminal();
    }
}

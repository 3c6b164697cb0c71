package io.crossjobs.stack;

import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;

/** The black-box tests' only way in: job-api's REST surface, as a user's script would use it. */
final class JobApiClient {
    private final String base;

    JobApiClient(StackConfig config) {
        this.base = "http://127.0.0.1:" + config.jobApiPort();
    }

    String submit(String json) {
        return given().baseUri(base).contentType(ContentType.JSON).body(json)
                .when().post("/jobs")
                .then().statusCode(201).extract().path("id").toString();
    }

    JsonPath job(String id) {
        return given().baseUri(base).when().get("/jobs/" + id).then().statusCode(200).extract().jsonPath();
    }

    List<Map<String, Object>> events(String id) {
        return given().baseUri(base).when().get("/jobs/" + id + "/events")
                .then().statusCode(200).extract().jsonPath().getList("$");
    }

    String logs(String id) {
        return given().baseUri(base).when().get("/jobs/" + id + "/logs").then().statusCode(200).extract().asString();
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

package io.crossjobs.stack;

import com.sun.net.httpserver.HttpServer;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * A Slack-format webhook on the launched stack: a user registers one at a receiver that answers as Slack does,
 * for SUCCEEDED and FAILED with a template, runs a job, and the receiver gets one POST whose {@code text} is the
 * template rendered for the job's end (none for PENDING, STARTING or RUNNING).
 */
@ExtendWith(LocalStack.class)
class ChatNotificationsIT {
    private static final Duration JOB_TIMEOUT = Duration.ofMinutes(2);

    record Received(Map<String, List<String>> headers, String body) { }

    @Test
    void aSlackWebhookGetsOneMessageWhenTheJobSucceeds() throws Exception {
        List<Received> received = new CopyOnWriteArrayList<>();
        HttpServer slack = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        slack.createContext("/services/T000/B000/chat-it", exchange -> {
            received.add(new Received(Map.copyOf(exchange.getRequestHeaders()),
                    new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8)));
            byte[] ok = "ok".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, ok.length);
            exchange.getResponseBody().write(ok);
            exchange.close();
        });
        slack.start();
        try {
            String base = "http://127.0.0.1:" + LocalStack.config().jobApiPort();
            String token = given().baseUri(base).auth().oauth2(LocalStack.adminToken()).contentType(ContentType.JSON)
                    .body("{\"user\":\"chat-it\"}").post("/tokens").then().statusCode(201).extract().path("token");
            String url = "http://127.0.0.1:" + slack.getAddress().getPort() + "/services/T000/B000/chat-it";
            String hook = given().baseUri(base).auth().oauth2(token).contentType(ContentType.JSON).body("""
                    {"url": "%s", "format": "slack", "notify_on": ["SUCCEEDED", "FAILED"],
                     "template": "{name} (job {job_id}) {status} on {cloud}/{region}, exit code {exit_code}"}"""
                    .formatted(url)).post("/webhooks").then().statusCode(201).body("format", equalTo("slack"))
                    .extract().path("id");

            JobApiClient api = new JobApiClient(LocalStack.config(), token);
            String id = api.submit("""
                    {"name":"chat-hello","resources":{"cloud":"aws","cpus":"2+"},"run":"echo hello"}""");
            assertEquals("SUCCEEDED", api.awaitTerminal(id, JOB_TIMEOUT));
            JsonPath job = api.job(id);

            await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                    given().baseUri(base).auth().oauth2(token).get("/webhooks/" + hook + "/deliveries").then()
                            .statusCode(200).body("state", equalTo(List.of("DELIVERED")))
                            .body("lastStatusCode", equalTo(List.of(200))));
            assertEquals(1, received.size(), "one message: the job's end; none for PENDING, STARTING, RUNNING");
            Received message = received.get(0);
            assertEquals("chat-hello (job " + id + ") SUCCEEDED on aws/" + job.getString("region") + ", exit code 0",
                    JsonPath.from(message.body()).getString("text"));
            assertEquals(List.of("application/json; charset=UTF-8"), message.headers().get("Content-type"));
            assertNull(message.headers().get("X-crossjobs-signature"), "Slack reads no signature; the URL is the secret");
        } finally {
            slack.stop(0);
        }
    }
}

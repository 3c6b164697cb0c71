package io.crossjobs.jobapi.rest;

import io.agroal.api.AgroalDataSource;
import io.crossjobs.jobapi.TestEvents;
import io.crossjobs.jobapi.service.ApiTokens;
import io.crossjobs.testsupport.KafkaAndPostgresResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.UUID;

import static io.crossjobs.jobapi.TestEvents.as;
import static io.crossjobs.jobapi.TestEvents.asAdmin;
import static io.crossjobs.jobapi.TestEvents.submitAs;
import static io.crossjobs.jobapi.TestEvents.userToken;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** Bearer tokens, owners, admins; cancel by name or all; list filters and pagination. */
@QuarkusTest
@QuarkusTestResource(KafkaAndPostgresResource.class)
class UsersAndTokensTest {

    @Inject
    AgroalDataSource db;

    @Test
    void withoutAValidTokenOnlyHealthIsOpen() {
        given().get("/jobs").then().statusCode(401).contentType("application/problem+json")
                .header("WWW-Authenticate", "Bearer").body("type", equalTo("urn:crossjobs:problem:unauthorized"));
        as("cj_not-a-token").get("/jobs").then().statusCode(401);
        given().contentType("application/yaml").body("run: x".getBytes()).post("/jobs").then().statusCode(401);
        given().get("/q/health/ready").then().statusCode(200);
    }

    @Test
    void tokensAreShownOnceStoredHashedAndRevocable() throws Exception {
        String user = "carol-" + UUID.randomUUID().toString().substring(0, 8);
        var created = asAdmin().contentType(ContentType.JSON).body("{\"user\":\"" + user + "\"}")
                .post("/tokens").then().statusCode(201)
                .body("user", equalTo(user)).body("admin", equalTo(false)).body("token", notNullValue())
                .extract();
        String token = created.path("token");
        String id = created.path("id");
        assertEquals(1, TestEvents.count(db, "select count(*) from api_tokens where id = " + id
                + " and token_hash = '" + ApiTokens.hash(token) + "'"));
        assertEquals(0, TestEvents.count(db, "select count(*) from api_tokens where token_hash = '" + token + "'"));
        asAdmin().get("/tokens").then().statusCode(200)
                .body("find { it.id == '" + id + "' }.user", equalTo(user))
                .body("token", everyItem(nullValue()));

        as(token).get("/jobs").then().statusCode(200);
        as(token).get("/tokens").then().statusCode(403).contentType("application/problem+json");
        as(token).contentType(ContentType.JSON).body("{\"user\":\"mallory\",\"admin\":true}")
                .post("/tokens").then().statusCode(403);
        asAdmin().contentType(ContentType.JSON).body("{\"user\":\"bad user\"}").post("/tokens").then()
                .statusCode(400).body("errors.field", hasItem("user"));

        asAdmin().delete("/tokens/" + id).then().statusCode(204);
        asAdmin().delete("/tokens/" + id).then().statusCode(404);
        as(token).get("/jobs").then().statusCode(401);
    }

    @Test
    void aUserSeesAndCancelsOnlyOwnJobsAnAdminAll() {
        String alice = userToken("alice");
        String bob = userToken("bob");
        String job = submitAs(alice, "alice-job");

        as(alice).get("/jobs/" + job).then().statusCode(200).body("owner", equalTo("alice"));
        as(bob).get("/jobs/" + job).then().statusCode(404);
        as(bob).get("/jobs/" + job + "/events").then().statusCode(404);
        as(bob).get("/jobs/" + job + "/tasks").then().statusCode(404);
        as(bob).get("/jobs/" + job + "/logs").then().statusCode(404);
        as(bob).get("/jobs/" + job + "/logs?task=0").then().statusCode(404);
        as(bob).post("/jobs/" + job + "/cancel").then().statusCode(404);
        as(bob).get("/jobs").then().statusCode(200).body("items.owner", everyItem(equalTo("bob")));
        as(bob).get("/jobs?owner=alice").then().statusCode(403);
        as(bob).post("/jobs/cancel?all=true").then().statusCode(200).body("requested", not(hasItem(job)));
        as(alice).get("/jobs/" + job).then().body("cancelRequestedAt", nullValue());

        asAdmin().get("/jobs?owner=alice").then().statusCode(200).body("items.id", hasItem(job))
                .body("items.owner", everyItem(equalTo("alice")));
        asAdmin().post("/jobs/" + job + "/cancel").then().statusCode(202).body("cancelRequestedAt", notNullValue());
    }

    @Test
    void cancelByNameIsIdempotentAndListsWhatItDid() {
        String dave = userToken("dave");
        String a = submitAs(dave, "sweep");
        String b = submitAs(dave, "sweep");
        String other = submitAs(dave, "other");

        as(dave).post("/jobs/cancel?name=sweep").then().statusCode(200)
                .body("requested", equalTo(List.of(a, b))).body("alreadyRequested", empty());
        as(dave).post("/jobs/cancel?name=sweep").then().statusCode(200)
                .body("requested", empty()).body("alreadyRequested", equalTo(List.of(a, b)));
        as(dave).get("/jobs/" + other).then().body("cancelRequestedAt", nullValue());
        as(dave).post("/jobs/cancel").then().statusCode(400).contentType("application/problem+json");

        as(dave).post("/jobs/cancel?all=true").then().statusCode(200)
                .body("requested", equalTo(List.of(other))).body("alreadyRequested", equalTo(List.of(a, b)));
    }

    @Test
    void listFiltersAndACursorWalkStablyThroughThePages() {
        String erin = userToken("erin");
        String first = submitAs(erin, "page");
        String second = submitAs(erin, "page");
        submitAs(erin, "not-this");

        var page1 = as(erin).get("/jobs?name=page&status=PENDING&limit=1").then().statusCode(200)
                .body("items.id", equalTo(List.of(second))).extract();
        String cursor = page1.path("nextCursor");
        as(erin).get("/jobs?name=page&status=PENDING&limit=1&cursor=" + cursor).then().statusCode(200)
                .body("items.id", equalTo(List.of(first))).body("nextCursor", nullValue());
        as(erin).get("/jobs?cloud=AWS").then().statusCode(200).body("items.id", empty());
    }

}

package io.crossjobs.mockcloud.admin;

import static io.restassured.RestAssured.given;

import java.util.ArrayList;
import java.util.List;

import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;

/**
 * The faults one test arms through mock-cloud's admin API, removed again by {@link #disarm()} (from an
 * {@code @AfterEach}) however the test ended: the test classes share one application, and a fault left armed would
 * answer the next test's calls. Only this test's faults are removed; those of the faults file stay armed.
 */
public final class ArmedFaults {
    private final List<String> ids = new ArrayList<>();

    /** Arms {@code spec} (a fault as {@code POST /mock/faults} takes it); the answer can be checked further. */
    public ValidatableResponse arm(Object spec) {
        ValidatableResponse armed = given().contentType(ContentType.JSON).body(spec).post("/mock/faults").then()
                .statusCode(201);
        ids.add(armed.extract().path("id"));
        return armed;
    }

    /** Removes every fault {@link #arm} armed that is still there (a used-up fault is gone already). */
    public void disarm() {
        for (String id : ids) {
            int status = given().delete("/mock/faults/" + id).statusCode();
            if (status != 204 && status != 404) {
                throw new IllegalStateException("DELETE /mock/faults/" + id + " answered " + status);
            }
        }
        ids.clear();
    }
}

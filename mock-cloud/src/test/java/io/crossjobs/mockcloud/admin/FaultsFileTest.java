package io.crossjobs.mockcloud.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

import io.crossjobs.mockcloud.sim.FaultSpec;

class FaultsFileTest {

    @Test
    void readsTheSameSpecsAsThePostEndpoint() {
        List<FaultSpec> specs = FaultsFile.parse("""
                [
                  {"cloud":"aws","region":"us-west-2","count":3,"errorCode":"InsufficientInstanceCapacity"},
                  {"cloud":"gcp","action":"instances.list","delayMs":1500},
                  {"cloud":"azure","zone":"2","instanceType":"Standard_D2s_v5","errorCode":"QuotaExceeded",
                   "httpStatus":409,"message":"no quota","delayMs":200}
                ]""", "faults.json");
        assertEquals(3, specs.size());
        assertEquals(new FaultSpec("aws", "us-west-2", null, null, null, 3, "InsufficientInstanceCapacity", null,
                null, null), specs.get(0));
        assertEquals(1500L, specs.get(1).delayMs());
        assertNull(specs.get(1).errorCode());
        assertEquals(new FaultSpec("azure", null, "2", "Standard_D2s_v5", null, null, "QuotaExceeded", 409,
                "no quota", 200L), specs.get(2));
        assertTrue(FaultsFile.parse("[]", "empty.json").isEmpty());
    }

    @Test
    void errorsNameTheFileAndTheBadEntry() {
        String typo = assertThrows(IllegalArgumentException.class, () -> FaultsFile.parse(
                "[{\"errorCode\":\"X\"}, {\"errorCode\":\"Y\",\"regoin\":\"us-east-1\"}]", "f.json")).getMessage();
        assertTrue(typo.startsWith("f.json: fault [1] "), typo);
        assertTrue(typo.contains("regoin"), typo);

        String type = assertThrows(IllegalArgumentException.class,
                () -> FaultsFile.parse("[{\"errorCode\":\"X\",\"delayMs\":\"slow\"}]", "f.json")).getMessage();
        assertTrue(type.startsWith("f.json: fault [0] "), type);

        assertTrue(assertThrows(IllegalArgumentException.class, () -> FaultsFile.parse("[42]", "f.json"))
                .getMessage().contains("fault [0] 42: not a JSON object"));
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> FaultsFile.parse("{\"errorCode\":\"X\"}", "f.json")).getMessage().contains("JSON array"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> FaultsFile.parse("[{", "f.json"))
                .getMessage().startsWith("f.json: not JSON"));
    }
}

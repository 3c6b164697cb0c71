package io.crossjobs.events;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The publicly known credentials are named, one problem per setting that holds one; a value of one's own passes. */
class PublicDefaultsTest {
    @Test
    void eachSettingHoldingAPublicValueIsNamed() {
        Map<String, String> settings = Map.of("jobapi.auth.bootstrap-admin-token", "local-admin-token-change-me",
                "crossjobs.secrets.key", "asnpk/SCiXLX7AC0YImG2iayRPdbw634itBIzIygEVI=",
                "quarkus.datasource.password", "postgres");

        List<String> problems = PublicDefaults.problems(name -> Optional.ofNullable(settings.get(name)));

        assertEquals(List.of("crossjobs.secrets.key", "jobapi.auth.bootstrap-admin-token", "quarkus.datasource.password"),
                problems.stream().map(p -> p.substring(0, p.indexOf(' '))).toList());
        assertEquals("quarkus.datasource.password holds a publicly known default value; set a value of your own (or"
                + " crossjobs.allow-public-defaults=true on a machine only you can reach)", problems.get(2));
    }

    @Test
    void valuesOfOnesOwnAndAbsentSettingsPass() {
        Map<String, String> settings = Map.of("jobapi.auth.bootstrap-admin-token", "cj_0123456789abcdef",
                "quarkus.datasource.password", "postgres-but-longer");

        assertEquals(List.of(), PublicDefaults.problems(name -> Optional.ofNullable(settings.get(name))));
    }

    @Test
    void aStartIsRefusedNamingTheSettingUnlessAllowed() {
        Map<String, String> settings = new java.util.HashMap<>(Map.of("quarkus.datasource.password", "postgres"));

        IllegalStateException refused = org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class,
                () -> PublicDefaults.refuseToStart(name -> Optional.ofNullable(settings.get(name))));
        org.junit.jupiter.api.Assertions.assertTrue(refused.getMessage().startsWith(
                "refusing to start: quarkus.datasource.password holds a publicly known default value"));
        settings.put(PublicDefaults.ALLOW, "true");
        PublicDefaults.refuseToStart(name -> Optional.ofNullable(settings.get(name)));
    }
}

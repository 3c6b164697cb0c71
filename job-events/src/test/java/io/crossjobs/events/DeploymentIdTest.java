package io.crossjobs.events;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DeploymentIdTest {

    @ParameterizedTest
    @ValueSource(strings = {"default", "team-b", "prod2", "a", "abcdefghij0123456789"})
    void anIdValidAsATagLabelAndNamePartIsTaken(String value) {
        assertEquals(value, new DeploymentId(value).value());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "Team", "team_b", "team.b", "2team", "-team", "team-", "abcdefghij0123456789x",
            "team b", "tëam"})
    void anIdSomeCloudWouldRefuseIsRefusedNamingIt(String value) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new DeploymentId(value));
        assertTrue(e.getMessage().contains("crossjobs.deployment-id '" + value + "'"), e.getMessage());
    }

    @Test
    void noIdIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> new DeploymentId(null));
    }

    @Test
    void anInstanceWithoutTheTagIsTheDefaultDeployments() {
        assertTrue(DeploymentId.DEFAULT.owns(null));
        assertTrue(DeploymentId.DEFAULT.owns("default"));
        assertFalse(DeploymentId.DEFAULT.owns("team-b"));
        DeploymentId teamB = new DeploymentId("team-b");
        assertTrue(teamB.owns("team-b"));
        assertFalse(teamB.owns(null));
        assertFalse(teamB.owns("default"));
        assertFalse(teamB.owns("team-c"));
    }

    @Test
    void namesOfTheDefaultDeploymentAreDerivedAsBeforeAndOthersApart() {
        assertEquals("cj-1-1\n0", DeploymentId.DEFAULT.qualify("cj-1-1\n0"));
        assertEquals("cj-1-1\n0\nteam-b", new DeploymentId("team-b").qualify("cj-1-1\n0"));
    }
}

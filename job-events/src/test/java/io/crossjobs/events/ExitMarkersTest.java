package io.crossjobs.events;

import org.junit.jupiter.api.Test;

import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;

class ExitMarkersTest {

    @Test
    void markerAloneOnItsLineIsRead() {
        assertEquals(Optional.of(new ExitMarkers.Exit(RunPhase.RUN, 0)),
                ExitMarkers.first("done\n##crossjobs:run-exit=0##\n"));
        assertEquals(Optional.of(new ExitMarkers.Exit(RunPhase.SETUP, 127)),
                ExitMarkers.first("x\r\n##crossjobs:setup-exit=127##\r\n"));
    }

    @Test
    void markerInsideOtherTextIsNotAnExit() {
        assertEquals(Optional.empty(), ExitMarkers.first("echo ##crossjobs:run-exit=0##\n"));
        assertEquals(Optional.empty(), ExitMarkers.first("##crossjobs:run-exit=0## trailing\n"));
        assertEquals(Optional.empty(), ExitMarkers.first("##crossjobs:run-exit=99999999999##\n"));
        assertEquals(Optional.empty(), ExitMarkers.first("no marker at all\n"));
    }

    @Test
    void firstMarkerWins() {
        assertEquals(Optional.of(new ExitMarkers.Exit(RunPhase.SETUP, 2)),
                ExitMarkers.first("##crossjobs:setup-exit=2##\n##crossjobs:run-exit=0##\n"));
    }

    @Test
    void strippingLeavesTheOutputAsTheUserPrintedIt() {
        assertEquals("hello\n", ExitMarkers.strip("hello\n\n##crossjobs:run-exit=0##\n"));
        assertEquals("no newline", ExitMarkers.strip("no newline\n##crossjobs:run-exit=3##\n"));
        assertEquals("setup out\n", ExitMarkers.strip("setup out\n\n##crossjobs:setup-exit=1##\n"));
        assertEquals("say ##crossjobs:run-exit=0## inline\n",
                ExitMarkers.strip("say ##crossjobs:run-exit=0## inline\n"));
    }
}

package io.crossjobs.events;

import org.junit.jupiter.api.Test;

import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

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

    private static final String NONCE = "q1W2e3R4t5Y6u7I8o9P0-_";

    @Test
    void onlyTheLaunchNonceMakesAMarkerCount() {
        String printedByScript = "out\n##crossjobs:run-exit=5:" + NONCE + "##\n";
        assertEquals(Optional.of(new ExitMarkers.Exit(RunPhase.RUN, 5)), ExitMarkers.first(printedByScript, NONCE));

        String forgedPlain = "##crossjobs:run-exit=0##\n";
        String forgedOtherNonce = "##crossjobs:run-exit=0:AAAAAAAAAAAAAAAAAAAAAA##\n";
        assertEquals(Optional.empty(), ExitMarkers.first(forgedPlain + forgedOtherNonce, NONCE));
        assertEquals(Optional.of(new ExitMarkers.Exit(RunPhase.RUN, 5)),
                ExitMarkers.first(forgedPlain + forgedOtherNonce + printedByScript, NONCE));
    }

    @Test
    void signedFormatPrintsWhatIsRead() {
        String line = String.format(ExitMarkers.printfFormat(RunPhase.SETUP, NONCE).replace("\\n", "\n"), 3);
        assertEquals(Optional.of(new ExitMarkers.Exit(RunPhase.SETUP, 3)), ExitMarkers.first(line, NONCE));
        assertEquals("", ExitMarkers.strip(line));
        assertThrows(IllegalArgumentException.class, () -> ExitMarkers.printfFormat(RunPhase.RUN, "short"));
        assertThrows(IllegalArgumentException.class, () -> ExitMarkers.first("x", "bad nonce with spaces!!"));
    }
}

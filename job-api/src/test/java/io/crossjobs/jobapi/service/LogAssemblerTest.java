package io.crossjobs.jobapi.service;

import io.crossjobs.jobapi.service.LogAssembler.Chunk;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class LogAssemblerTest {

    @Test
    void chunksAreJoinedByOffsetWhateverTheirOrder() {
        String text = LogAssembler.assemble(List.of(new Chunk(1, 4, "two\n"), new Chunk(1, 0, "one\n")));
        assertEquals("one\ntwo\n", text);
    }

    @Test
    void aReShippedChunkOnlyAddsWhatIsBeyondTheEnd() {
        String text = LogAssembler.assemble(List.of(
                new Chunk(1, 0, "a\nb\n"),
                new Chunk(1, 4, "c\n"),
                new Chunk(1, 0, "a\nb\nc\nd\n"),   // provisioner restarted and read from 0 again
                new Chunk(1, 2, "b\n")));          // fully inside what is there
        assertEquals("a\nb\nc\nd\n", text);
    }

    @Test
    void offsetsCountUtf8Bytes() {
        // "é" is two bytes, so the second chunk starts at byte 3, and a re-ship from byte 1 overlaps by two
        String text = LogAssembler.assemble(List.of(
                new Chunk(1, 0, "é\n"), new Chunk(1, 3, "ü\n"), new Chunk(1, 3, "ü\nok\n")));
        assertEquals("é\nü\nok\n", text);
    }

    @Test
    void attemptsFollowEachOtherWithASeparatorLine() {
        String text = LogAssembler.assembleAttempts(List.of(
                new Chunk(2, 0, "second\n"), new Chunk(1, 0, "first, no newline")));
        assertEquals("first, no newline\n--- attempt 2 ---\nsecond\n", text);
    }

    @Test
    void exitMarkersAreProtocolNotOutput() {
        String text = LogAssembler.assembleAttempts(List.of(
                new Chunk(1, 0, "boom\n\n##crossjobs:run-exit=3##\n"), new Chunk(2, 0, "ok\n\n##crossjobs:run-exit=0##\n")));
        assertEquals("boom\n--- attempt 2 ---\nok\n", text);
    }

    @Test
    void tailKeepsTheLastLines() {
        String text = "a\nb\nc\n";
        assertEquals("b\nc\n", LogAssembler.tail(text, 2));
        assertEquals(text, LogAssembler.tail(text, 3));
        assertEquals(text, LogAssembler.tail(text, 10));
        assertEquals("", LogAssembler.tail(text, 0));
        assertEquals("c", LogAssembler.tail("a\nb\nc", 1));
        assertEquals("", LogAssembler.tail("", 5));
    }
}

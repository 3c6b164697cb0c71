package io.crossjobs.provisioner.service;

import io.crossjobs.provisioner.model.NodeOutput;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class OutputSlicerTest {

    @Test
    void onlyWholeLinesAreTakenAndTheRestWaits() {
        var r = OutputSlicer.slice(out(100, "one\ntwo\nthr"), 1024);
        assertEquals(1, r.slices().size());
        assertEquals(new OutputSlicer.Slice(100, "one\ntwo\n"), r.slices().get(0));
        assertEquals(108, r.nextOffset());
        assertEquals(108, OutputSlicer.slice(out(108, "ee"), 1024).nextOffset());
    }

    @Test
    void largeOutputIsSplitAtLinesIntoChunksWithContinuousOffsets() {
        String text = "aaaa\nbbbb\ncccc\ndddd\n";
        var r = OutputSlicer.slice(out(0, text), 12);
        long expectedOffset = 0;
        StringBuilder joined = new StringBuilder();
        for (var s : r.slices()) {
            assertEquals(expectedOffset, s.offset());
            assertTrue(s.text().getBytes(StandardCharsets.UTF_8).length <= 12, s.text());
            assertTrue(s.text().endsWith("\n"), s.text());
            expectedOffset += s.text().getBytes(StandardCharsets.UTF_8).length;
            joined.append(s.text());
        }
        assertEquals(text, joined.toString());
        assertEquals(text.length(), r.nextOffset());
    }

    @Test
    void aLineLongerThanAChunkIsCutBetweenCharactersNeverInsideOne() {
        String text = "ééééé";  // 10 bytes, no newline
        var r = OutputSlicer.slice(out(0, text), 5);
        assertEquals(10, r.nextOffset());
        assertEquals("éé", r.slices().get(0).text());
        assertEquals(text, r.text());
    }

    @Test
    void anUnfinishedCharacterAtTheEndWaitsForItsLastByte() {
        byte[] e = "é".getBytes(StandardCharsets.UTF_8);
        byte[] data = {'a', 'b', 'c', e[0]};
        var r = OutputSlicer.slice(new NodeOutput(0, data), 4);
        assertEquals(3, r.nextOffset());
        assertEquals("abc", r.text());
    }

    private static NodeOutput out(long offset, String text) {
        return new NodeOutput(offset, text.getBytes(StandardCharsets.UTF_8));
    }
}

package io.crossjobs.jobapi.output;

import io.crossjobs.events.OutputEnd;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class OutputCoverageTest {

    @Test
    void chunksThatReachEveryAnnouncedEndWithoutAGapAreComplete() {
        List<OutputCoverage.Span> stored = List.of(new OutputCoverage.Span(0, 14, 7), new OutputCoverage.Span(0, 0, 14),
                new OutputCoverage.Span(1, 0, 19));

        assertEquals(List.of(), OutputCoverage.shortfalls(List.of(new OutputEnd(0, 21), new OutputEnd(1, 19)), stored));
    }

    @Test
    void overlappingReShippedChunksCountOnce() {
        // a restarted provisioner shipped from 0 again, further, then a chunk overlapping that one's end
        List<OutputCoverage.Span> stored = List.of(new OutputCoverage.Span(0, 0, 14), new OutputCoverage.Span(0, 0, 28),
                new OutputCoverage.Span(0, 21, 14));

        assertEquals(35, OutputCoverage.contiguousEnd(stored));
        assertEquals(List.of(), OutputCoverage.shortfalls(List.of(new OutputEnd(0, 35)), stored));
    }

    @Test
    void aGapOrAMissingTailOrAMissingNodeFallsShort() {
        List<OutputCoverage.Span> stored = List.of(new OutputCoverage.Span(0, 0, 10), new OutputCoverage.Span(0, 20, 10),
                new OutputCoverage.Span(1, 0, 5));

        assertEquals(List.of(new OutputCoverage.Shortfall(0, 10, 30), new OutputCoverage.Shortfall(1, 5, 6),
                        new OutputCoverage.Shortfall(2, 0, 1)),
                OutputCoverage.shortfalls(List.of(new OutputEnd(0, 30), new OutputEnd(1, 6), new OutputEnd(2, 1)),
                        stored));
    }

    @Test
    void aNodeThatPrintedNothingIsCompleteWithNothingStored() {
        assertEquals(List.of(), OutputCoverage.shortfalls(List.of(new OutputEnd(1, 0)), List.of()));
    }
}

package io.crossjobs.jobapi.output;

import io.crossjobs.events.OutputEnd;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Whether an attempt's stored chunks hold its whole output, as its exit announced it: each node's chunks must reach
 * the node's announced end from byte 0 without a gap. Chunks may overlap (a provisioner that restarted ships from an
 * earlier offset again); the text's UTF-8 length is what a chunk covers, as when the log is read back.
 */
public final class OutputCoverage {

    /** One stored chunk: node {@code nodeRank}'s bytes from {@code offset}, {@code length} of them. */
    public record Span(int nodeRank, long offset, long length) { }

    /** How far node {@code nodeRank}'s output is stored without a gap, short of the {@code announcedEnd}. */
    public record Shortfall(int nodeRank, long storedTo, long announcedEnd) {
        @Override
        public String toString() {
            return "node " + nodeRank + " stored to byte " + storedTo + " of " + announcedEnd;
        }
    }

    /** The nodes whose stored output does not reach its announced end; empty: the output is complete. */
    public static List<Shortfall> shortfalls(List<OutputEnd> announced, List<Span> stored) {
        List<Shortfall> missing = new ArrayList<>();
        for (OutputEnd end : announced) {
            long reached = contiguousEnd(stored.stream().filter(s -> s.nodeRank() == end.nodeRank()).toList());
            if (reached < end.endOffset()) missing.add(new Shortfall(end.nodeRank(), reached, end.endOffset()));
        }
        return missing;
    }

    /** The end of the run of bytes from 0 that the spans cover without a gap. */
    static long contiguousEnd(List<Span> spans) {
        List<Span> sorted = new ArrayList<>(spans);
        sorted.sort(Comparator.comparingLong(Span::offset));
        long end = 0;
        for (Span s : sorted) {
            if (s.offset() > end) break;
            end = Math.max(end, s.offset() + s.length());
        }
        return end;
    }

    private OutputCoverage() { }
}

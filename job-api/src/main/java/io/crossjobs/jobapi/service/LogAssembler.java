package io.crossjobs.jobapi.service;

import io.crossjobs.events.ExitMarkers;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Turns stored chunks back into console text. Offsets count UTF-8 bytes of one node's output; a chunk
 * re-shipped from an earlier offset overlaps what is there, so only its bytes beyond the current end are
 * appended. A gap (a chunk lost for good) is kept as a gap rather than hiding the text after it.
 */
public final class LogAssembler {

    public record Chunk(int attempt, long offset, String text) { }

    /** One node's text of one attempt from its chunks in any order. */
    public static String assemble(List<Chunk> chunks) {
        List<Chunk> sorted = new ArrayList<>(chunks);
        sorted.sort(Comparator.comparingLong(Chunk::offset));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        long end = -1;
        for (Chunk c : sorted) {
            byte[] bytes = c.text().getBytes(StandardCharsets.UTF_8);
            if (end < 0) end = c.offset();
            long chunkEnd = c.offset() + bytes.length;
            if (chunkEnd <= end) continue;
            int skip = (int) Math.max(0, end - c.offset());
            out.write(bytes, skip, bytes.length - skip);
            end = chunkEnd;
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    /** All attempts of one node, in order, without the exit markers, with a {@code --- attempt N ---} line before each attempt after the first. */
    public static String assembleAttempts(List<Chunk> chunks) {
        Map<Integer, List<Chunk>> byAttempt = new TreeMap<>();
        for (Chunk c : chunks) byAttempt.computeIfAbsent(c.attempt(), a -> new ArrayList<>()).add(c);
        StringBuilder text = new StringBuilder();
        boolean first = true;
        for (Map.Entry<Integer, List<Chunk>> e : byAttempt.entrySet()) {
            if (!first) {
                if (!text.isEmpty() && text.charAt(text.length() - 1) != '\n') text.append('\n');
                text.append("--- attempt ").append(e.getKey()).append(" ---\n");
            }
            text.append(ExitMarkers.strip(assemble(e.getValue())));
            first = false;
        }
        return text.toString();
    }

    /**
     * The text of a job whose output reached its cap, and the line that says so: what follows the cut was not stored
     * (the job keeps the start of its output, where a failure's cause usually is).
     */
    public static String withCapMarker(String text, long maxBytes) {
        String sep = text.isEmpty() || text.endsWith("\n") ? "" : "\n";
        return text + sep + "[crossjobs] this job's output reached jobapi.limits.log-max-bytes (" + maxBytes
                + " bytes, all nodes and attempts together): later output was not stored\n";
    }

    /** The last {@code lines} lines; a trailing newline does not count as an empty last line. */
    public static String tail(String text, int lines) {
        if (lines <= 0) return "";
        int end = text.endsWith("\n") ? text.length() - 1 : text.length();
        int pos = end;
        for (int found = 0; pos > 0; ) {
            pos = text.lastIndexOf('\n', pos - 1);
            if (pos < 0) return text;
            if (++found == lines) return text.substring(pos + 1);
        }
        return text;
    }

    private LogAssembler() { }
}

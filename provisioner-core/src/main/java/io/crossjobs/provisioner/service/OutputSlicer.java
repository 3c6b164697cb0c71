package io.crossjobs.provisioner.service;

import io.crossjobs.provisioner.model.NodeOutput;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Cuts a node's new output bytes into log chunks. Only whole lines are taken (so an exit marker is never split
 * across polls and a character is never cut in half); an unfinished line is left for the next poll unless it
 * alone fills a chunk.
 */
public final class OutputSlicer {

    public record Slice(long offset, String text) { }

    /** The chunks, and the output offset the next read starts at. */
    public record Result(List<Slice> slices, long nextOffset) {
        public String text() {
            StringBuilder all = new StringBuilder();
            slices.forEach(s -> all.append(s.text()));
            return all.toString();
        }
    }

    public static Result slice(NodeOutput out, int maxChunkBytes) {
        byte[] data = out.data();
        int end = lastNewline(data, 0, data.length) + 1;
        if (end == 0 && data.length >= maxChunkBytes) end = charBoundary(data, 0, data.length);
        List<Slice> slices = new ArrayList<>();
        int pos = 0;
        while (pos < end) {
            int cut = end;
            if (end - pos > maxChunkBytes) {
                int limit = pos + maxChunkBytes;
                cut = lastNewline(data, pos, limit) + 1;
                if (cut <= pos) cut = charBoundary(data, pos, limit);
            }
            slices.add(new Slice(out.offset() + pos, new String(data, pos, cut - pos, StandardCharsets.UTF_8)));
            pos = cut;
        }
        return new Result(slices, out.offset() + end);
    }

    private static int lastNewline(byte[] data, int from, int to) {
        for (int i = to - 1; i >= from; i--) if (data[i] == '\n') return i;
        return -1;
    }

    /** The largest cut at or before {@code limit} that does not split a UTF-8 sequence. */
    private static int charBoundary(byte[] data, int from, int limit) {
        int lead = limit - 1;
        while (lead > from && (data[lead] & 0xC0) == 0x80 && limit - lead < 4) lead--;
        int b = data[lead] & 0xFF;
        int length = b < 0x80 ? 1 : b >= 0xF0 ? 4 : b >= 0xE0 ? 3 : b >= 0xC0 ? 2 : 1;
        if (lead + length <= limit) return limit;
        return lead > from ? lead : limit;
    }

    private OutputSlicer() { }
}

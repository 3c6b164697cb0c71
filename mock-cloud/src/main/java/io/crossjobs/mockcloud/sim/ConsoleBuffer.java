package io.crossjobs.mockcloud.sim;

import java.time.Clock;
import java.time.Instant;

/**
 * A VM's serial console: append-only text, so clients can remember an offset and read what came after it.
 * Past {@code maxChars} further output is dropped after one notice line.
 */
public final class ConsoleBuffer {
    static final String TRUNCATED_NOTICE = "\n[mock-cloud] console output limit reached; further output dropped\n";

    private final StringBuilder text = new StringBuilder();
    private final int maxChars;
    private final Clock clock;
    private Instant updatedAt;
    private boolean truncated;
    private int postedLength;
    private Instant postedAt;

    public ConsoleBuffer(int maxChars, Clock clock) {
        this.maxChars = maxChars;
        this.clock = clock;
        this.updatedAt = clock.instant();
    }

    public synchronized void append(CharSequence chunk) {
        if (chunk.length() == 0 || truncated) return;
        int room = maxChars - text.length();
        if (chunk.length() <= room) {
            text.append(chunk);
        } else {
            text.append(chunk, 0, Math.max(room, 0)).append(TRUNCATED_NOTICE);
            truncated = true;
        }
        updatedAt = clock.instant();
    }

    /** Appends {@code line} on a line of its own. */
    public synchronized void appendLine(String line) {
        if (text.length() > 0 && text.charAt(text.length() - 1) != '\n') append("\n");
        append(line + "\n");
    }

    public synchronized String text() {
        return text.toString();
    }

    public synchronized int length() {
        return text.length();
    }

    /**
     * Posts the console as it is now, as EC2 posts an instance's buffered console output shortly after each state
     * transition; {@link #posted()} returns it until the next post.
     */
    public synchronized void post() {
        postedLength = text.length();
        postedAt = clock.instant();
    }

    /** The text as of the last {@link #post()}, empty before the first. */
    public synchronized String posted() {
        return text.substring(0, postedLength);
    }

    /** When the console was last posted, or null. */
    public synchronized Instant postedAt() {
        return postedAt;
    }

    /** When output was last appended (or the buffer was created). */
    public synchronized Instant updatedAt() {
        return updatedAt;
    }
}

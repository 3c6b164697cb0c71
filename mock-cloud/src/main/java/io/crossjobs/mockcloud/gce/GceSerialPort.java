package io.crossjobs.mockcloud.gce;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * Serial port 1 of one instance as Compute Engine serves it: what the startup script prints reaches the port only
 * through the guest agent's script runner, one line at a time, each as a syslog line of
 * {@code google_metadata_script_runner} with the metadata key in front ({@code startup-script: <line>}), framed by
 * the runner's own lines; and the port keeps only its most recent 1 MB, so an earlier {@code start} is answered from
 * the oldest byte still kept. Byte offsets count everything ever written, as GCE's {@code start} and {@code next}.
 *
 * <p>The runner (GoogleCloudPlatform/guest-agent, google_metadata_script_runner/main.go) reads the script's merged
 * stdout and stderr with a line scanner: a line is shown once it ends (a last unterminated line when the script
 * exits), a trailing CR is dropped, and a line longer than the scanner's 64 KiB token limit ends the reading: the
 * runner logs the scanner's error and shows nothing more of that script. A line is stamped when the port is first
 * read after the script printed it (the mock converts lazily), not when it was printed.
 */
final class GceSerialPort {
    /** GCE keeps the last 1 MB of a serial port (taken as 2^20 bytes; cloud.google.com/compute/docs/.../getSerialPortOutput). */
    static final int BUFFER_BYTES = 1 << 20;
    /** bufio.MaxScanTokenSize: the longest line the runner's scanner takes. */
    static final int MAX_LINE_BYTES = 64 * 1024;
    static final String KEY = "startup-script";
    private static final DateTimeFormatter SYSLOG_TIME = DateTimeFormatter.ofPattern("MMM ppd HH:mm:ss", Locale.ENGLISH)
            .withZone(ZoneOffset.UTC);

    /**
     * @param guestAgent  lines as the guest agent shows them; false: the script's bytes as printed
     * @param bufferBytes the bytes the port keeps
     */
    record Options(boolean guestAgent, int bufferBytes) { }

    /** One answer of instances.getSerialPortOutput. */
    record Window(long start, long next, String contents) { }

    /** What the simulator tells about the instance when the port is read. */
    record Source(String console, boolean started, Integer exitCode, Instant now) { }

    private final String host;
    private final long pid;
    private final Options options;
    private final StringBuilder partial = new StringBuilder();
    private int partialBytes;
    private int consumed;
    private byte[] kept = new byte[0];
    private long total;
    private boolean began;
    private boolean finished;
    private boolean broken;

    GceSerialPort(String host, long pid, Options options) {
        this.host = host;
        this.pid = pid;
        this.options = options;
    }

    /**
     * The port's bytes from {@code start} on (null or 0: the oldest kept; negative: the last {@code -start} bytes);
     * a start before the oldest kept byte, or inside a character, moves forward to the next one kept.
     */
    synchronized Window read(Source source, Long start) {
        advance(source);
        long oldest = total - kept.length;
        long from = start == null ? 0 : start < 0 ? total + start : start;
        from = Math.min(Math.max(from, oldest), total);
        while (from < total && (kept[(int) (from - oldest)] & 0xC0) == 0x80) from++;
        String contents = new String(kept, (int) (from - oldest), (int) (total - from), StandardCharsets.UTF_8);
        return new Window(from, total, contents);
    }

    private void advance(Source source) {
        String fresh = source.console().length() > consumed ? source.console().substring(consumed) : "";
        consumed = Math.max(consumed, source.console().length());
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        if (!options.guestAgent()) {
            out.writeBytes(fresh.getBytes(StandardCharsets.UTF_8));
        } else {
            if (!began && (source.started() || !fresh.isEmpty())) {
                began = true;
                line(out, source.now(), "Starting startup scripts (version mock-cloud).");
                line(out, source.now(), "Found " + KEY + " in metadata.");
            }
            scan(out, source.now(), fresh);
            if (source.exitCode() != null && !finished) {
                finished = true;
                if (!broken && partial.length() > 0) scriptLine(out, source.now(), partial.toString());
                partial.setLength(0);
                partialBytes = 0;
                line(out, source.now(), source.exitCode() == 0 ? KEY + " exit status 0"
                        : "Script \"" + KEY + "\" failed with error: exit status " + source.exitCode());
                line(out, source.now(), "Finished running startup scripts.");
            }
        }
        append(out.toByteArray());
    }

    private void scan(ByteArrayOutputStream out, Instant now, String fresh) {
        for (int i = 0; i < fresh.length() && !broken; i++) {
            char c = fresh.charAt(i);
            if (c == '\n') {
                scriptLine(out, now, partial.toString());
                partial.setLength(0);
                partialBytes = 0;
                continue;
            }
            partial.append(c);
            partialBytes += c < 0x80 ? 1 : c < 0x800 || Character.isSurrogate(c) ? 2 : 3;
            if (partialBytes > MAX_LINE_BYTES) {
                broken = true;
                partial.setLength(0);
                partialBytes = 0;
                line(out, now, "error while communicating with \"" + KEY + "\" script: bufio.Scanner: token too long");
            }
        }
    }

    private void scriptLine(ByteArrayOutputStream out, Instant now, String text) {
        String line = text.endsWith("\r") ? text.substring(0, text.length() - 1) : text;
        line(out, now, KEY + ": " + line);
    }

    /** One syslog line of the runner on the console, CR LF as a serial terminal ends it. */
    private void line(ByteArrayOutputStream out, Instant now, String message) {
        out.writeBytes((SYSLOG_TIME.format(now) + " " + host + " google_metadata_script_runner[" + pid + "]: "
                + message + "\r\n").getBytes(StandardCharsets.UTF_8));
    }

    private void append(byte[] bytes) {
        if (bytes.length == 0) return;
        total += bytes.length;
        int keep = (int) Math.min((long) kept.length + bytes.length, options.bufferBytes());
        byte[] next = new byte[keep];
        int fromNew = Math.min(bytes.length, keep);
        int fromOld = keep - fromNew;
        System.arraycopy(kept, kept.length - fromOld, next, 0, fromOld);
        System.arraycopy(bytes, bytes.length - fromNew, next, fromOld, fromNew);
        kept = next;
    }
}

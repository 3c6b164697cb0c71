package io.crossjobs.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A service process's memory as the operator sees it: live heap after a full GC ({@code jcmd GC.run} then
 * {@code GC.heap_info}, summing the generations' "used") and resident set size from /proc.
 */
final class MemoryProbe {
    private static final Pattern USED = Pattern.compile("used (\\d+)K");
    private static final Pattern RSS = Pattern.compile("VmRSS:\\s+(\\d+) kB");

    private MemoryProbe() { }

    static Memory of(long pid) throws IOException, InterruptedException {
        jcmd(pid, "GC.run");
        long usedKb = 0;
        for (String line : jcmd(pid, "GC.heap_info").split("\n")) {
            if (!(line.contains("generation") || line.contains("heap")) || line.contains("Metaspace")) continue;
            Matcher m = USED.matcher(line);
            if (m.find()) usedKb += Long.parseLong(m.group(1));
        }
        Matcher rss = RSS.matcher(Files.readString(Path.of("/proc/" + pid + "/status")));
        return new Memory(usedKb / 1024d, rss.find() ? Long.parseLong(rss.group(1)) / 1024d : -1);
    }

    private static String jcmd(long pid, String command) throws IOException, InterruptedException {
        Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        Process p = new ProcessBuilder(jcmd.toString(), String.valueOf(pid), command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS)) p.destroyForcibly();
        return out;
    }

    /** MiB. */
    record Memory(double heapAfterGcMiB, double rssMiB) { }
}

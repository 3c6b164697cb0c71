package io.crossjobs.mockcloud.sim;

import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.jboss.logging.Logger;

/** User data running as a real process; one reader thread copies its output to the console. */
final class ProcessWorkload implements Workload {
    private static final Logger LOG = Logger.getLogger(ProcessWorkload.class);
    private static final Path PROC = Path.of("/proc");

    private final String vmId;
    private final Process process;
    private final boolean ownGroup;
    private final Duration grace;
    private final Thread reader;
    private final List<ProcessHandle> tree = new ArrayList<>();
    private Instant forceAt;
    private boolean killed;
    private boolean forced;

    ProcessWorkload(String vmId, Process process, boolean ownGroup, ConsoleBuffer console, Duration grace) {
        this.vmId = vmId;
        this.process = process;
        this.ownGroup = ownGroup;
        this.grace = grace;
        this.reader = new Thread(() -> copy(console), "console-" + vmId);
        reader.setDaemon(true);
        reader.start();
    }

    private void copy(ConsoleBuffer console) {
        try (Reader in = new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8)) {
            CharBuffer buf = CharBuffer.allocate(8192);
            while (in.read(buf) >= 0) {
                buf.flip();
                console.append(buf);
                buf.clear();
            }
        } catch (IOException e) {
            LOG.debugf("%s: console reader stopped: %s", vmId, e);
        }
    }

    @Override
    public synchronized void poll(Instant now) {
        if (killed && !forced && !now.isBefore(forceAt)) {
            if (isAlive()) LOG.debugf("%s: workload still alive after %s, killing it", vmId, grace);
            forceKill();
        }
    }

    @Override
    public synchronized void kill(Instant now) {
        if (killed) return;
        killed = true;
        forceAt = now.plus(grace);
        // remember the tree now: once the script is gone its children are no longer its descendants
        tree.add(process.toHandle());
        process.descendants().forEach(tree::add);
        if (ownGroup) signalGroup(process.pid(), "TERM");
        tree.forEach(ProcessHandle::destroy);
    }

    @Override
    public synchronized void forceKill() {
        killed = true;
        forced = true;
        if (tree.isEmpty()) tree.add(process.toHandle());
        process.descendants().forEach(tree::add);
        if (ownGroup) signalGroup(process.pid(), "KILL");
        tree.forEach(ProcessHandle::destroyForcibly);
    }

    @Override
    public synchronized boolean isAlive() {
        if (running(process.pid())) return true;
        if (ownGroup && groupAlive(process.pid())) return true;
        return tree.stream().anyMatch(h -> running(h.pid()));
    }

    /** Alive and not a zombie (ProcessHandle.isAlive counts zombies, which wait for their parent to reap them). */
    static boolean running(long pid) {
        if (!Files.isDirectory(PROC)) return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
        String[] stat = stat(PROC.resolve(Long.toString(pid)).resolve("stat"));
        return stat != null && !isZombie(stat);
    }

    @Override
    public Integer exitCode() {
        return process.isAlive() ? null : process.exitValue();
    }

    @Override
    public long pid() {
        return process.pid();
    }

    /** kill -SIG -- -pgid, through bash's built-in kill (no separate kill binary needed). */
    static void signalGroup(long pgid, String signal) {
        try {
            Process p = new ProcessBuilder("/bin/bash", "-c", "kill -s \"$1\" -- \"-$2\" 2>/dev/null", "kill",
                    signal, Long.toString(pgid)).redirectErrorStream(true).start();
            p.getInputStream().transferTo(java.io.OutputStream.nullOutputStream());
            if (!p.waitFor(5, TimeUnit.SECONDS)) p.destroyForcibly();
        } catch (IOException e) {
            LOG.debugf("cannot signal process group %d: %s", pgid, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Whether a live (non-zombie) process is left in process group {@code pgid}. */
    static boolean groupAlive(long pgid) {
        if (Files.isDirectory(PROC)) {
            try (Stream<Path> entries = Files.list(PROC)) {
                return entries.filter(p -> isNumber(p.getFileName().toString()))
                        .map(p -> stat(p.resolve("stat")))
                        .anyMatch(stat -> stat != null && !isZombie(stat) && Long.toString(pgid).equals(stat[2]));
            } catch (IOException | UncheckedIOException e) {
                LOG.debugf("cannot scan %s: %s", PROC, e);
            }
        }
        return killZeroSucceeds(pgid);
    }

    /** The fields of /proc/PID/stat after the command name: state, ppid, pgrp, ...; null when gone. */
    private static String[] stat(Path file) {
        try {
            String s = Files.readString(file);
            int end = s.lastIndexOf(')');
            return end < 0 ? null : s.substring(end + 2).split(" ");
        } catch (IOException | UncheckedIOException e) {
            return null;
        }
    }

    private static boolean isZombie(String[] stat) {
        return stat.length == 0 || stat[0].equals("Z") || stat[0].equals("X");
    }

    private static boolean isNumber(String s) {
        if (s.isEmpty()) return false;
        for (int i = 0; i < s.length(); i++) {
            if (!Character.isDigit(s.charAt(i))) return false;
        }
        return true;
    }

    /** Fallback without /proc: kill -0 -- -pgid (also true while only zombies are left). */
    private static boolean killZeroSucceeds(long pgid) {
        try {
            Process p = new ProcessBuilder("/bin/bash", "-c", "kill -0 -- \"-$1\" 2>/dev/null", "kill",
                    Long.toString(pgid)).redirectErrorStream(true).start();
            p.getInputStream().transferTo(java.io.OutputStream.nullOutputStream());
            if (!p.waitFor(5, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return true;
            }
            return p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return true;
        }
    }
}

package io.crossjobs.stack;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A PostgreSQL server still running in the stack's data directory although the JVM that started it is gone (a
 * kill -9 of that JVM, or of the launcher): zonky's binaries run the server as a daemon of its own, so it outlives
 * its starter and keeps the data directory locked. It is stopped (a fast shutdown) before PostgreSQL is started
 * there again.
 */
final class LeftoverPostgres {
    private static final Duration GRACE = Duration.ofSeconds(30);

    /** Stops the server {@code dataDir/postmaster.pid} names, if it still runs. */
    static void stop(Path dataDir, PrintStream out) throws IOException {
        Optional<ProcessHandle> server = server(dataDir);
        if (server.isEmpty()) return;
        ProcessHandle h = server.get();
        out.println("crossjobs: stopping PostgreSQL pid " + h.pid() + ", left running in " + dataDir
                + " by a PostgreSQL process that is gone");
        // SIGINT is PostgreSQL's fast shutdown: it ends the sessions (SIGTERM would wait for every client to leave)
        try {
            new ProcessBuilder(List.of("kill", "-INT", String.valueOf(h.pid()))).inheritIO().start()
                    .waitFor(10, TimeUnit.SECONDS);
            h.onExit().get(GRACE.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while stopping PostgreSQL pid " + h.pid(), e);
        } catch (Exception e) {
            h.destroyForcibly();
        }
    }

    /** The postmaster of {@code dataDir}'s lock file, when that process is alive and is PostgreSQL. */
    private static Optional<ProcessHandle> server(Path dataDir) throws IOException {
        Path lock = dataDir.resolve("postmaster.pid");
        if (!Files.isRegularFile(lock)) return Optional.empty();
        List<String> lines = Files.readAllLines(lock);
        if (lines.isEmpty()) return Optional.empty();
        long pid;
        try {
            pid = Long.parseLong(lines.get(0).trim());
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
        // a stale lock's pid may belong to another program by now
        return ProcessHandle.of(pid).filter(ProcessHandle::isAlive)
                .filter(h -> h.info().command().map(c -> c.contains("postgres")).orElse(false));
    }

    private LeftoverPostgres() { }
}

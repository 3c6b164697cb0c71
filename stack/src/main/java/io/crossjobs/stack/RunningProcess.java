package io.crossjobs.stack;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A process named in a state file, possibly started by another launcher: one line per process,
 * {@code PID NAME [since=INSTANT restarts=N state=STATE last-exit=CODE@INSTANT]} (the launcher's own line has only
 * the first two).
 *
 * @param since    when its current run started
 * @param restarts how often the launcher started it again after it exited on its own
 * @param state    running, exited (a restart is due), replacing or given-up, as the launcher last wrote it
 * @param lastExit how its last run that the launcher did not stop ended
 */
record RunningProcess(long pid, String name, Optional<Instant> since, int restarts, Optional<String> state,
                      Optional<ProcessExit> lastExit) {

    static List<RunningProcess> fromPidFile(Path file) throws IOException {
        if (!Files.isRegularFile(file)) return List.of();
        return Files.readAllLines(file).stream().map(String::trim).filter(l -> !l.isEmpty())
                .map(RunningProcess::parse).toList();
    }

    private static RunningProcess parse(String line) {
        String[] parts = line.split("\\s+");
        Map<String, String> fields = new HashMap<>();
        for (int i = 2; i < parts.length; i++) {
            int eq = parts[i].indexOf('=');
            if (eq > 0) fields.put(parts[i].substring(0, eq), parts[i].substring(eq + 1));
        }
        return new RunningProcess(Long.parseLong(parts[0]), parts.length > 1 ? parts[1] : "?",
                Optional.ofNullable(fields.get("since")).map(Instant::parse),
                Integer.parseInt(fields.getOrDefault("restarts", "0")),
                Optional.ofNullable(fields.get("state")),
                Optional.ofNullable(fields.get("last-exit")).flatMap(ProcessExit::parse));
    }

    boolean isAlive() { return handle().map(ProcessHandle::isAlive).orElse(false); }

    /** SIGTERM, then SIGKILL once {@code grace} has passed. */
    void stop(Duration grace) {
        handle().ifPresent(h -> {
            h.destroy();
            try {
                h.onExit().get(grace.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
            } catch (Exception e) {
                h.destroyForcibly();
            }
        });
    }

    private Optional<ProcessHandle> handle() { return ProcessHandle.of(pid); }
}

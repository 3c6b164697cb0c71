package io.crossjobs.stack;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** A process named in a pid file ("PID NAME" per line), possibly started by another launcher. */
record RunningProcess(long pid, String name) {

    static List<RunningProcess> fromPidFile(Path file) throws IOException {
        if (!Files.isRegularFile(file)) return List.of();
        return Files.readAllLines(file).stream().map(String::trim).filter(l -> !l.isEmpty()).map(l -> {
            String[] parts = l.split("\\s+", 2);
            return new RunningProcess(Long.parseLong(parts[0]), parts.length > 1 ? parts[1] : "?");
        }).toList();
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

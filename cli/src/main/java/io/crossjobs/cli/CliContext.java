package io.crossjobs.cli;

import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;

/**
 * What the CLI reads from outside its arguments, passed in so that tests can give their own.
 *
 * @param env       the process environment
 * @param home      the user's home directory (for ~/.crossjobs/config)
 * @param checkout  the crossjobs checkout the script runs from, if any (for the local stack's defaults)
 * @param clock     for "3 mins ago"
 * @param cwd       the folder the command runs in (relative paths of a task's workdir and file_mounts are under it)
 * @param terminal  the user's terminal, for confirmations ({@link Terminal#NONE} when stdin is not one)
 */
public record CliContext(Map<String, String> env, Path home, Optional<Path> checkout, Clock clock, Path cwd,
                         Terminal terminal) {

    public static CliContext fromProcess() {
        String root = System.getProperty("crossjobs.root");
        return new CliContext(System.getenv(), Path.of(System.getProperty("user.home")),
                Optional.ofNullable(root).map(Path::of), Clock.systemUTC(), Path.of("").toAbsolutePath(),
                Terminal.ofProcess());
    }
}

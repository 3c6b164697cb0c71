package io.crossjobs.stack;

import io.crossjobs.testsupport.ProjectRoot;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.fail;

/** The real {@code ./crossjobs} script in a child process, as a user runs it, against the launched stack. */
final class CrossjobsCommand {
    private static final Pattern SUBMITTED = Pattern.compile("\\[job (\\d+)] submitted");

    /** One run: its arguments, exit code, stdout and stderr. */
    record Run(List<String> args, int exit, String out, String err) {
        String describe() {
            return "crossjobs " + String.join(" ", args) + " exited " + exit + "\n--- stdout\n" + out + "--- stderr\n" + err;
        }

        /** The id of the job the run submitted. */
        String jobId() {
            Matcher m = SUBMITTED.matcher(out);
            if (!m.find()) fail("no job id in: " + describe());
            return m.group(1);
        }
    }

    /**
     * Runs the script from {@code dir} (relative paths in a task are relative to it), with this stack's URL and admin
     * token in the environment, as documented, and no config file of the user running the tests.
     */
    static Run run(Path dir, Duration timeout, String... args) throws IOException, InterruptedException {
        return run(dir, timeout, Map.of(), args);
    }

    /** The same, with more environment variables (e.g. the stack's CROSSJOBS_STATE_DIR for {@code status}). */
    static Run run(Path dir, Duration timeout, Map<String, String> extraEnv, String... args)
            throws IOException, InterruptedException {
        Path root = ProjectRoot.find();
        Path logs = Files.createDirectories(root.resolve("scenarios/target/cli-runs"));
        String n = UUID.randomUUID().toString().substring(0, 8);
        Path out = logs.resolve("run-" + n + ".out");
        Path err = logs.resolve("run-" + n + ".err");
        List<String> command = new ArrayList<>(List.of(root.resolve("crossjobs").toString()));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile())
                .redirectOutput(out.toFile()).redirectError(err.toFile());
        Map<String, String> env = pb.environment();
        env.keySet().removeIf(k -> k.startsWith("CROSSJOBS_"));
        env.put("CROSSJOBS_CONFIG", logs.resolve("no-config").toString());
        env.put("CROSSJOBS_URL", "http://127.0.0.1:" + LocalStack.config().jobApiPort());
        env.put("CROSSJOBS_TOKEN", LocalStack.adminToken());
        env.putAll(extraEnv);
        Process p = pb.start();
        if (!p.waitFor(timeout.toSeconds(), TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail("crossjobs " + String.join(" ", args) + " did not end; output so far:\n" + Files.readString(out)
                    + Files.readString(err));
        }
        return new Run(List.of(args), p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                Files.readString(err, StandardCharsets.UTF_8));
    }

    private CrossjobsCommand() { }
}

package io.crossjobs.provisioner.service;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A startup script run by bash in a folder, as a node would boot it, with {@code TMPDIR} its {@code tmp}: its exit
 * code and merged output.
 */
record ScriptRun(int exitCode, String output) {

    static ScriptRun of(String script, Path dir) throws IOException, InterruptedException {
        return run(script, dir, new ProcessBuilder());
    }

    /** The same with a {@code sleep} that returns at once, for scripts that wait between tries. */
    static ScriptRun withoutSleep(String script, Path dir) throws IOException, InterruptedException {
        Path bin = Files.createTempDirectory("no-sleep");
        Path sleep = Files.writeString(bin.resolve("sleep"), "#!/bin/sh\nexit 0\n");
        sleep.toFile().setExecutable(true);
        ProcessBuilder builder = new ProcessBuilder();
        builder.environment().put("PATH", bin + ":" + System.getenv("PATH"));
        return run(script, dir, builder);
    }

    private static ScriptRun run(String script, Path dir, ProcessBuilder builder) throws IOException, InterruptedException {
        Path file = dir.resolve("startup.sh");
        Files.writeString(file, script);
        builder.environment().put("TMPDIR", Files.createDirectories(dir.resolve("tmp")).toString());
        Process p = builder.command("bash", file.toString()).directory(dir.toFile()).redirectErrorStream(true)
                .start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS), "script did not finish");
        return new ScriptRun(p.exitValue(), out);
    }
}

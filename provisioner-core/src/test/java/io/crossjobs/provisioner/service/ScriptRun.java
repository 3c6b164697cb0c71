package io.crossjobs.provisioner.service;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** A startup script run by bash in a folder, as a node would boot it: its exit code and merged output. */
record ScriptRun(int exitCode, String output) {

    static ScriptRun of(String script, Path dir) throws IOException, InterruptedException {
        Path file = dir.resolve("startup.sh");
        Files.writeString(file, script);
        Process p = new ProcessBuilder("bash", file.toString()).directory(dir.toFile()).redirectErrorStream(true)
                .start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS), "script did not finish");
        return new ScriptRun(p.exitValue(), out);
    }
}

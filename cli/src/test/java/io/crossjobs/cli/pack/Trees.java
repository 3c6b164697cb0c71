package io.crossjobs.cli.pack;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/** Fixture trees for packing tests, and git run on them with no user or system configuration. */
final class Trees {

    /** Writes each {@code path -> content}; a path ending in {@code /} is an empty folder. */
    static void write(Path root, Map<String, String> files) throws IOException {
        for (Map.Entry<String, String> f : files.entrySet()) {
            Path p = root.resolve(f.getKey());
            if (f.getKey().endsWith("/")) {
                Files.createDirectories(p);
            } else {
                Files.createDirectories(p.getParent());
                Files.writeString(p, f.getValue(), StandardCharsets.UTF_8);
            }
        }
    }

    /** Every path under {@code root} but {@code .git}'s, relative and {@code /}-separated, sorted. */
    static List<String> allPaths(Path root) throws IOException {
        List<String> paths = new ArrayList<>();
        try (Stream<Path> s = Files.walk(root)) {
            s.filter(p -> !p.equals(root)).forEach(p -> paths.add(root.relativize(p).toString()));
        }
        return paths.stream().filter(p -> !p.equals(".git") && !p.startsWith(".git/")).sorted().toList();
    }

    static boolean gitAvailable() {
        try {
            return new ProcessBuilder("git", "--version").redirectErrorStream(true).start().waitFor(20, TimeUnit.SECONDS);
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Runs git in {@code dir} with {@code stdin}; its stdout. Fails on a non-zero exit but {@code okExits}. */
    static String git(Path dir, Path home, String stdin, List<Integer> okExits, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("git"));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile());
        // no global excludes file or other settings of this machine's user
        pb.environment().put("HOME", home.toString());
        pb.environment().put("XDG_CONFIG_HOME", home.resolve(".config").toString());
        pb.environment().put("GIT_CONFIG_NOSYSTEM", "1");
        Process p = pb.start();
        try (var in = p.getOutputStream()) {
            in.write(stdin.getBytes(StandardCharsets.UTF_8));
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS)) throw new IllegalStateException("git " + String.join(" ", args) + " hung");
        if (p.exitValue() != 0 && !okExits.contains(p.exitValue())) {
            throw new IllegalStateException("git " + String.join(" ", args) + " exited " + p.exitValue() + ": " + err);
        }
        return out;
    }

    private Trees() { }
}

package io.crossjobs.testsupport;

import java.nio.file.Files;
import java.nio.file.Path;

/** The checkout's root folder, found from the working directory (Maven runs tests in the module folder). */
public final class ProjectRoot {
    public static Path find() {
        String explicit = System.getProperty("crossjobs.root", System.getenv("CROSSJOBS_ROOT"));
        if (explicit != null) return Path.of(explicit).toAbsolutePath();
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isDirectory(p.resolve("job-events")) && Files.isRegularFile(p.resolve("pom.xml"))) return p;
        }
        throw new IllegalStateException("cannot find the crossjobs checkout above " + Path.of("").toAbsolutePath()
                + "; set -Dcrossjobs.root");
    }

    private ProjectRoot() { }
}

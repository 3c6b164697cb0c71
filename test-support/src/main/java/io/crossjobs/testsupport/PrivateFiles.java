package io.crossjobs.testsupport;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/** Files only their owner may read: the local stack's credentials and each service's settings. */
public final class PrivateFiles {

    /** Writes {@code text} to a file made readable by its owner only before anything is written into it. */
    public static void write(Path file, String text) throws IOException {
        if (!Files.exists(file)) Files.createFile(file);
        try {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException ignored) {
            // not a POSIX file system: the directory's own permissions apply
        }
        Files.writeString(file, text);
    }

    /** {@code settings} as a Java properties file only its owner may read, under a {@code comment} line. */
    public static void writeProperties(Path file, java.util.Map<String, String> settings, String comment)
            throws IOException {
        java.util.Properties p = new java.util.Properties();
        p.putAll(settings);
        java.io.StringWriter out = new java.io.StringWriter();
        p.store(out, comment);
        write(file, out.toString());
    }

    private PrivateFiles() { }
}

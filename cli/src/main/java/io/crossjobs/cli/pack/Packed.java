package io.crossjobs.cli.pack;

import java.nio.file.Path;
import java.util.List;

/**
 * A local source ready to upload: a folder packed into an archive, or one file as it is.
 *
 * @param kind       {@link Kind#ARCHIVE} (a gzip'd tar of a folder) or {@link Kind#FILE}
 * @param source     the folder or file on this machine
 * @param bytes      the file to upload (a temporary archive, or the file itself)
 * @param digest     {@code sha256:<64 lowercase hex>} of those bytes
 * @param size       their length
 * @param warnings   what the user should know about the ignore rules applied
 */
public record Packed(Kind kind, Path source, Path bytes, String digest, long size, List<String> warnings) {
    public enum Kind {
        ARCHIVE, FILE;

        /** The key naming it in a task: {@code archive} or {@code file}. */
        public String field() { return this == ARCHIVE ? "archive" : "file"; }
    }
}

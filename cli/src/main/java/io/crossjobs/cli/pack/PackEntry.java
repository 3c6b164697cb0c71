package io.crossjobs.cli.pack;

import java.nio.file.Path;

/**
 * One entry of a folder's archive.
 *
 * @param path        relative to the folder, {@code /}-separated, no trailing slash
 * @param kind        what it is (a symbolic link is kept as a link, never followed)
 * @param size        a file's bytes; 0 for folders and links
 * @param executable  a file whose owner may execute it (packed as 0755, else 0644)
 * @param linkTarget  a link's target as written in the link; null otherwise
 * @param source      where it is on this machine
 */
record PackEntry(String path, Kind kind, long size, boolean executable, String linkTarget, Path source) {
    enum Kind { FOLDER, FILE, LINK }
}

package io.crossjobs.cli.pack;

import java.util.Optional;

/**
 * One pattern of an ignore file, matched against a path relative to the folder that holds the file.
 *
 * @param glob          the pattern without its {@code !}, leading {@code /} and trailing {@code /}
 * @param negated       {@code !pattern}: re-includes what an earlier pattern excluded (git only)
 * @param dirOnly       {@code pattern/}: matches folders only
 * @param basenameOnly  no slash in the pattern: it matches a file or folder of that name at any depth (only the
 *                      last path component is matched); otherwise the whole relative path is, with {@code *} not
 *                      crossing {@code /}
 */
record IgnorePattern(String glob, boolean negated, boolean dirOnly, boolean basenameOnly) {

    /**
     * A line of a {@code .gitignore} or {@code .git/info/exclude} (gitignore(5)): blank lines and {@code #} comments
     * are none; trailing spaces are dropped unless escaped with a backslash.
     */
    static Optional<IgnorePattern> gitLine(String line) {
        if (line.isEmpty() || line.charAt(0) == '#') return Optional.empty();
        String p = trimTrailingSpaces(line);
        boolean negated = p.startsWith("!");
        if (negated) p = p.substring(1);
        boolean dirOnly = p.endsWith("/");
        if (dirOnly) p = p.substring(0, p.length() - 1);
        boolean basenameOnly = p.indexOf('/') < 0;
        if (p.startsWith("/")) p = p.substring(1);
        return Optional.of(new IgnorePattern(p, negated, dirOnly, basenameOnly));
    }

    /**
     * A line of a {@code .skyignore}, read as SkyPilot reads it (sky/data/storage_utils.py,
     * get_excluded_files_from_skyignore, and docs "Exclude uploading files": rsync's exclude rules): the line is
     * stripped; blank lines and {@code #} comments are none; a leading {@code /} anchors the pattern to the folder,
     * any other pattern matches at every depth ({@code dir/*.jar} too, which SkyPilot turns into {@code **}/dir/*.jar);
     * a trailing {@code /} matches folders only. There is no negation: a leading {@code !} is a literal character.
     */
    static Optional<IgnorePattern> skyignoreLine(String line) {
        String p = line.strip();
        if (p.isEmpty() || p.charAt(0) == '#') return Optional.empty();
        boolean dirOnly = p.endsWith("/");
        if (dirOnly) p = p.substring(0, p.length() - 1);
        if (p.startsWith("!")) p = "\\" + p;
        if (p.startsWith("/")) return Optional.of(new IgnorePattern(p.substring(1), false, dirOnly, false));
        if (p.indexOf('/') >= 0) return Optional.of(new IgnorePattern("**/" + p, false, dirOnly, false));
        return Optional.of(new IgnorePattern(p, false, dirOnly, true));
    }

    /** Whether this pattern matches {@code path} (relative to the ignore file's folder, {@code /}-separated). */
    boolean matches(String path, boolean dir) {
        if (dirOnly && !dir) return false;
        if (basenameOnly) return Wildmatch.matches(glob, path.substring(path.lastIndexOf('/') + 1), false);
        return Wildmatch.matches(glob, path, true);
    }

    /** git's trim_trailing_spaces: spaces at the end go, unless the first of them is escaped by a backslash. */
    private static String trimTrailingSpaces(String s) {
        int lastSpace = -1;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == ' ') {
                if (lastSpace < 0) lastSpace = i;
                continue;
            }
            if (c == '\\') {
                i++;
                if (i >= s.length()) return s;
            }
            lastSpace = -1;
        }
        return lastSpace < 0 ? s : s.substring(0, lastSpace);
    }
}

package io.crossjobs.cli.pack;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Which paths of a tree are ignored, with git's precedence (gitignore(5)): the ignore files of the folders from the
 * path's own folder up to the root, the deepest first, then the tree-wide lists ({@code .git/info/exclude}); within
 * one file the last matching pattern decides; a negated pattern that decides re-includes. Paths are relative to the
 * tree's root and {@code /}-separated. Immutable: {@link #with} gives the rules with one more folder's file.
 */
final class IgnoreRules {
    /** The patterns of one ignore file and the folder ({@code ""} the root, else {@code a/b}) it applies under. */
    record PatternList(String base, List<IgnorePattern> patterns) {
        static PatternList parse(String base, String text, boolean skyignore) {
            List<IgnorePattern> patterns = new ArrayList<>();
            // git skips a UTF-8 byte order mark and a carriage return before each newline
            String body = text.startsWith("\uFEFF") ? text.substring(1) : text;
            for (String line : body.split("\n", -1)) {
                if (line.endsWith("\r")) line = line.substring(0, line.length() - 1);
                Optional<IgnorePattern> p = skyignore ? IgnorePattern.skyignoreLine(line) : IgnorePattern.gitLine(line);
                p.ifPresent(patterns::add);
            }
            return new PatternList(base, List.copyOf(patterns));
        }

        boolean appliesTo(String path) {
            return base.isEmpty() || path.startsWith(base + "/");
        }

        /** The last pattern matching {@code path}, if any. */
        Optional<IgnorePattern> lastMatch(String path, boolean dir) {
            String relative = base.isEmpty() ? path : path.substring(base.length() + 1);
            for (int i = patterns.size() - 1; i >= 0; i--) {
                if (patterns.get(i).matches(relative, dir)) return Optional.of(patterns.get(i));
            }
            return Optional.empty();
        }
    }

    static final IgnoreRules NONE = new IgnoreRules(List.of(), List.of());

    private final List<PatternList> folderFiles;
    private final List<PatternList> treeWide;

    private IgnoreRules(List<PatternList> folderFiles, List<PatternList> treeWide) {
        this.folderFiles = folderFiles;
        this.treeWide = treeWide;
    }

    /** Rules with only tree-wide lists, in precedence order (the first that matches decides). */
    static IgnoreRules treeWide(List<PatternList> lists) {
        return new IgnoreRules(List.of(), List.copyOf(lists));
    }

    /** These rules plus a folder's ignore file, which takes precedence over those of the folders above it. */
    IgnoreRules with(PatternList folderFile) {
        if (folderFile.patterns().isEmpty()) return this;
        List<PatternList> files = new ArrayList<>(folderFiles);
        files.add(folderFile);
        return new IgnoreRules(List.copyOf(files), treeWide);
    }

    boolean ignored(String path, boolean dir) {
        for (int i = folderFiles.size() - 1; i >= 0; i--) {
            PatternList list = folderFiles.get(i);
            if (!list.appliesTo(path)) continue;
            Optional<IgnorePattern> match = list.lastMatch(path, dir);
            if (match.isPresent()) return !match.get().negated();
        }
        for (PatternList list : treeWide) {
            Optional<IgnorePattern> match = list.lastMatch(path, dir);
            if (match.isPresent()) return !match.get().negated();
        }
        return false;
    }
}

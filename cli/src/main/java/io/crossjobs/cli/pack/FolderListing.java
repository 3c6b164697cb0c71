package io.crossjobs.cli.pack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * What of a local folder goes into its archive, chosen as SkyPilot chooses what it uploads of a workdir or a local
 * file mount source to a bucket (sky/data/storage_utils.py get_excluded_files, and the stores' sync commands in
 * sky/data/storage.py):
 * <ul>
 *   <li>a {@code .skyignore} in the folder's root, when there is one, is the only ignore file
 *       ({@link IgnorePattern#skyignoreLine});</li>
 *   <li>otherwise, when the folder is inside a git repository, git's own rules: every {@code .gitignore} from the
 *       repository's root down, and {@code .git/info/exclude} (SkyPilot asks {@code git ls-files --others --ignored
 *       --exclude-standard --directory}); a nested repository (a submodule) has its own; when git ignores the folder
 *       itself, SkyPilot drops every exclusion, and so does this; outside a repository, no rules at all (SkyPilot
 *       warns when a {@code .gitignore} is there);</li>
 *   <li>the folder's top-level {@code .git} is never packed (SkyPilot adds {@code .git/*} to every bucket sync's
 *       excludes);</li>
 *   <li>a symbolic link is packed as a link (SkyPilot's rsync of a workdir, {@code rsync -a}, keeps links as links),
 *       sockets and other special files are left out.</li>
 * </ul>
 * Not applied: git's global excludes file ({@code core.excludesFile}), and git's exemption of tracked files (an
 * ignored file that is committed is uploaded by SkyPilot, left out here).
 */
final class FolderListing {
    static final String SKYIGNORE = ".skyignore";
    static final String GITIGNORE = ".gitignore";

    /** The entries to pack, sorted by path, and what the user should know about the rules used. */
    record Listing(List<PackEntry> entries, List<String> warnings, String rulesUsed) { }

    private final List<PackEntry> entries = new ArrayList<>();
    private final List<String> warnings = new ArrayList<>();
    private boolean gitMode;

    private FolderListing() { }

    static Listing of(Path folder) {
        try {
            return new FolderListing().list(folder);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Listing list(Path folder) throws IOException {
        Path root = folder.toRealPath();
        Path skyignore = root.resolve(SKYIGNORE);
        String rulesUsed;
        if (Files.isRegularFile(skyignore)) {
            IgnoreRules rules = IgnoreRules.treeWide(List.of(
                    IgnoreRules.PatternList.parse("", Files.readString(skyignore, StandardCharsets.UTF_8), true)));
            rulesUsed = SKYIGNORE;
            walk(root, "", "", rules);
        } else {
            Path repo = repositoryRoot(root);
            if (repo == null) {
                if (Files.exists(root.resolve(GITIGNORE))) {
                    warnings.add(folder + " has a .gitignore but is not in a git repository: the .gitignore is not "
                            + "applied (as in SkyPilot); a .skyignore would be.");
                }
                rulesUsed = "no ignore file";
                walk(root, "", "", IgnoreRules.NONE);
            } else {
                gitMode = true;
                String inRepo = slashed(repo.relativize(root));
                IgnoreRules rules = rulesDownTo(repo, inRepo);
                if (rules == null) {
                    warnings.add(folder + " is in a git repository that ignores the folder itself: no git exclusion is "
                            + "applied (as in SkyPilot); a .skyignore would be.");
                    gitMode = false;
                    rulesUsed = "no ignore file (git ignores the folder itself)";
                    walk(root, "", "", IgnoreRules.NONE);
                } else {
                    rulesUsed = ".gitignore and .git/info/exclude";
                    walk(root, "", inRepo, rules);
                }
            }
        }
        entries.sort(Comparator.comparing(PackEntry::path));
        return new Listing(List.copyOf(entries), List.copyOf(warnings), rulesUsed);
    }

    /**
     * The repository's rules for the folder at {@code inRepo} (its .gitignore files above it included, its own not
     * yet), or null when git ignores the folder or one of the folders above it.
     */
    private IgnoreRules rulesDownTo(Path repo, String inRepo) throws IOException {
        IgnoreRules rules = repositoryRules(repo);
        if (inRepo.isEmpty()) return rules;
        Path dir = repo;
        String path = "";
        for (String name : inRepo.split("/")) {
            rules = rules.with(gitignoreOf(dir, path));
            path = path.isEmpty() ? name : path + "/" + name;
            dir = dir.resolve(name);
            if (rules.ignored(path, true)) return null;
        }
        return rules;
    }

    /** Adds the entries under {@code dir}: {@code packPath} relative to the packed folder, {@code repoPath} to the rules' root. */
    private void walk(Path dir, String packPath, String repoPath, IgnoreRules rules) throws IOException {
        if (gitMode) rules = rules.with(gitignoreOf(dir, repoPath));
        List<Path> children;
        try (Stream<Path> s = Files.list(dir)) {
            children = s.sorted().toList();
        }
        for (Path child : children) {
            String name = child.getFileName().toString();
            if (packPath.isEmpty() && name.equals(".git")) continue;
            BasicFileAttributes a = Files.readAttributes(child, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            if (!a.isDirectory() && !a.isRegularFile() && !a.isSymbolicLink()) continue;
            String childPack = packPath.isEmpty() ? name : packPath + "/" + name;
            String childRepo = repoPath.isEmpty() ? name : repoPath + "/" + name;
            if (rules.ignored(childRepo, a.isDirectory())) continue;
            if (a.isSymbolicLink()) {
                entries.add(new PackEntry(childPack, PackEntry.Kind.LINK, 0, false,
                        Files.readSymbolicLink(child).toString(), child));
            } else if (a.isRegularFile()) {
                entries.add(new PackEntry(childPack, PackEntry.Kind.FILE, a.size(), ownerExecutable(child), null, child));
            } else {
                entries.add(new PackEntry(childPack, PackEntry.Kind.FOLDER, 0, false, null, child));
                if (gitMode && Files.exists(child.resolve(".git"), LinkOption.NOFOLLOW_LINKS)) {
                    // a nested repository (submodule): its own rules, none of the enclosing repository's
                    walk(child, childPack, "", repositoryRules(child));
                } else {
                    walk(child, childPack, childRepo, rules);
                }
            }
        }
    }

    private static IgnoreRules.PatternList gitignoreOf(Path dir, String repoPath) throws IOException {
        Path file = dir.resolve(GITIGNORE);
        if (!Files.isRegularFile(file)) return new IgnoreRules.PatternList(repoPath, List.of());
        return IgnoreRules.PatternList.parse(repoPath, Files.readString(file, StandardCharsets.UTF_8), false);
    }

    /** The repository-wide list: {@code info/exclude} of its git folder. */
    private static IgnoreRules repositoryRules(Path repo) throws IOException {
        Path gitDir = gitDir(repo);
        if (gitDir == null) return IgnoreRules.NONE;
        Path exclude = commonDir(gitDir).resolve("info").resolve("exclude");
        if (!Files.isRegularFile(exclude)) return IgnoreRules.NONE;
        return IgnoreRules.treeWide(List.of(
                IgnoreRules.PatternList.parse("", Files.readString(exclude, StandardCharsets.UTF_8), false)));
    }

    /** {@code repo/.git}, or where a {@code .git} file ({@code gitdir: ...}, of a submodule or worktree) points. */
    private static Path gitDir(Path repo) throws IOException {
        Path dotGit = repo.resolve(".git");
        if (Files.isDirectory(dotGit)) return dotGit;
        if (!Files.isRegularFile(dotGit)) return null;
        String content = Files.readString(dotGit, StandardCharsets.UTF_8).strip();
        if (!content.startsWith("gitdir:")) return null;
        return repo.resolve(content.substring("gitdir:".length()).strip()).normalize();
    }

    /** A worktree's git folder keeps info/exclude in the main repository's ({@code commondir}). */
    private static Path commonDir(Path gitDir) throws IOException {
        Path common = gitDir.resolve("commondir");
        if (!Files.isRegularFile(common)) return gitDir;
        return gitDir.resolve(Files.readString(common, StandardCharsets.UTF_8).strip()).normalize();
    }

    private static Path repositoryRoot(Path dir) {
        for (Path d = dir; d != null; d = d.getParent()) {
            if (Files.exists(d.resolve(".git"), LinkOption.NOFOLLOW_LINKS)) return d;
        }
        return null;
    }

    private static boolean ownerExecutable(Path file) throws IOException {
        try {
            return Files.getPosixFilePermissions(file, LinkOption.NOFOLLOW_LINKS).contains(PosixFilePermission.OWNER_EXECUTE);
        } catch (UnsupportedOperationException e) {
            return Files.isExecutable(file);
        }
    }

    private static String slashed(Path relative) {
        return relative.toString().replace('\\', '/');
    }
}

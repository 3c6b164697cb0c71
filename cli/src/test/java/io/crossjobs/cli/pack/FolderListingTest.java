package io.crossjobs.cli.pack;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** What of a folder is packed: git's ignore rules checked against git itself, .skyignore as SkyPilot reads it. */
class FolderListingTest {
    @TempDir
    Path tmp;

    private Path home;
    private Path repo;

    @BeforeEach
    void dirs() throws Exception {
        home = Files.createDirectories(tmp.resolve("home"));
        repo = Files.createDirectories(tmp.resolve("repo"));
    }

    /** A .gitignore at three levels, info/exclude, negations, anchors, ** and classes, escapes, a symlink. */
    private static Map<String, String> gitFixture() {
        Map<String, String> f = new LinkedHashMap<>();
        f.put(".gitignore", String.join("\n",
                "# a comment", "*.log", "!keep.log", "/build/", "out/", "doc/*.txt", "**/cache", "tmp/**", "a/**/z",
                "\\#hash", "\\!bang", "trailing\\ ", "data[0-9].bin", "[!x]y.dat", "*.o", "foo?", "nested/deeper/",
                "sp ace   ", "logs/", "!logs/keep", "linkdir/", "[[:digit:]]x", "\\*star", "") + "\n");
        f.put("sub/.gitignore", "!*.o\n/local\n*.tmp\n!important.tmp\r\n");
        f.put("sub/deep/.gitignore", "*.tmp\n");
        for (String p : List.of("app.log", "keep.log", "Foo.LOG", "sub/keep.log", "sub/x.log", "build/a", "sub/build/a",
                "out/a", "sub/out/b", "doc/a.txt", "doc/sub/b.txt", "sub/doc/a.txt", "cache/x", "a/b/cache", "tmp/x/y",
                "a/z", "a/b/c/z", "ab/z", "#hash", "!bang", "trailing ", "trailing", "data1.bin", "dataX.bin", "ay.dat",
                "xy.dat", "main.o", "sub/main.o", "foo1", "foo12", "nested/deeper/f", "x/nested/deeper/f", "nested/f",
                "sp ace", "secret.txt", "secret-ok", "sub/local", "sub/x/local", "sub/a.tmp", "sub/important.tmp",
                "sub/deep/b.tmp", "sub/deep/important.tmp", "logs/keep", "logs/other", "5x", "ax", "*star", "xstar",
                "src/main.c", "src/lib/util.c", "README")) {
            f.put(p, "content of " + p + "\n");
        }
        f.put("empty/", "");
        f.put("out2/", "");
        return f;
    }

    @Test
    void gitRulesAgreeWithGitCheckIgnoreOnEveryPath() throws Exception {
        assumeTrue(Trees.gitAvailable(), "git is not installed");
        Trees.git(repo, home, "", List.of(), "init", "-q");
        Trees.write(repo, gitFixture());
        Files.writeString(repo.resolve(".git/info/exclude"), "secret*\n!secret-ok\n");
        Files.createSymbolicLink(repo.resolve("linkdir"), Path.of("sub"));

        List<String> all = Trees.allPaths(repo);
        String ignoredByGit = Trees.git(repo, home, String.join("\0", all) + "\0", List.of(1),
                "check-ignore", "--stdin", "-z");
        Set<String> ignored = new HashSet<>(Arrays.asList(ignoredByGit.split("\0")));
        // a path is packed when git does not ignore it and its folder is packed (git never looks inside an ignored folder)
        Set<String> expected = new HashSet<>();
        for (String p : all) {
            int slash = p.lastIndexOf('/');
            boolean parentPacked = slash < 0 || expected.contains(p.substring(0, slash));
            if (parentPacked && !ignored.contains(p)) expected.add(p);
        }

        FolderListing.Listing listing = FolderListing.of(repo);

        assertEquals(expected.stream().sorted().toList(), paths(listing));
        assertEquals(".gitignore and .git/info/exclude", listing.rulesUsed());
        // the fixture exercises both sides of each rule
        assertTrue(expected.containsAll(List.of("keep.log", "sub/build/a", "sub/main.o", "sub/important.tmp", "ab/z",
                "trailing", "xy.dat", "secret-ok", "linkdir", "tmp", "sub/doc/a.txt")), expected.toString());
        assertFalse(expected.contains("logs/keep") || expected.contains("sub/deep/important.tmp")
                || expected.contains("secret.txt") || expected.contains("trailing ") || expected.contains("sp ace"));
    }

    @Test
    void theFilesPackedAreTheFilesSkyPilotsGitCommandLeavesIn() throws Exception {
        assumeTrue(Trees.gitAvailable(), "git is not installed");
        Trees.git(repo, home, "", List.of(), "init", "-q");
        Trees.write(repo, gitFixture());
        Files.writeString(repo.resolve(".git/info/exclude"), "secret*\n!secret-ok\n");

        // the command sky/data/storage_utils.py runs: every ignored untracked path, whole ignored folders as "dir/"
        String[] excluded = Trees.git(repo, home, "", List.of(), "ls-files", "-z", "--others", "--ignored",
                "--exclude-standard", "--directory").split("\0");
        List<String> expectedFiles = new ArrayList<>();
        for (String p : Trees.allPaths(repo)) {
            if (!Files.isRegularFile(repo.resolve(p))) continue;
            boolean out = Arrays.stream(excluded).anyMatch(e -> !e.isEmpty()
                    && (e.endsWith("/") ? p.startsWith(e) : p.equals(e)));
            if (!out) expectedFiles.add(p);
        }

        List<String> packedFiles = FolderListing.of(repo).entries().stream()
                .filter(e -> e.kind() == PackEntry.Kind.FILE).map(PackEntry::path).toList();

        assertEquals(expectedFiles, packedFiles);
    }

    @Test
    void aFolderInsideARepositoryGetsTheGitignoresAboveIt() throws Exception {
        assumeTrue(Trees.gitAvailable(), "git is not installed");
        Trees.git(repo, home, "", List.of(), "init", "-q");
        Trees.write(repo, Map.of(".gitignore", "*.bin\nproject/generated/\n",
                "project/main.py", "print(1)\n", "project/model.bin", "x", "project/generated/g.py", "g",
                "project/.gitignore", "!keep.bin\n", "project/keep.bin", "k"));

        List<String> packed = paths(FolderListing.of(repo.resolve("project")));

        assertEquals(List.of(".gitignore", "keep.bin", "main.py"), packed);
    }

    @Test
    void aNestedRepositoryHasItsOwnRules() throws Exception {
        assumeTrue(Trees.gitAvailable(), "git is not installed");
        Trees.git(repo, home, "", List.of(), "init", "-q");
        Trees.write(repo, Map.of(".gitignore", "*.log\n", "a.log", "x", "lib/.gitignore", "*.tmp\n",
                "lib/b.log", "y", "lib/c.tmp", "z"));
        Trees.git(repo.resolve("lib"), home, "", List.of(), "init", "-q");

        List<String> packed = paths(FolderListing.of(repo));

        assertTrue(packed.contains("lib/b.log"), packed.toString());
        assertFalse(packed.contains("lib/c.tmp") || packed.contains("a.log"), packed.toString());
        assertTrue(packed.contains("lib/.git"), "only the top-level .git is left out: " + packed);
    }

    @Test
    void whenGitIgnoresTheFolderItselfNothingIsExcludedAsInSkyPilot() throws Exception {
        assumeTrue(Trees.gitAvailable(), "git is not installed");
        Trees.git(repo, home, "", List.of(), "init", "-q");
        Trees.write(repo, Map.of(".gitignore", "scratch/\n*.log\n", "scratch/a.log", "x", "scratch/b.py", "y"));

        FolderListing.Listing listing = FolderListing.of(repo.resolve("scratch"));

        assertEquals(List.of("a.log", "b.py"), paths(listing));
        assertTrue(listing.warnings().get(0).contains("ignores the folder itself"), listing.warnings().toString());
    }

    @Test
    void outsideARepositoryAGitignoreIsNotAppliedAndTheUserIsWarned() throws Exception {
        Path plain = Files.createDirectories(tmp.resolve("plain"));
        Trees.write(plain, Map.of(".gitignore", "*.log\n", "a.log", "x", "b.py", "y"));

        FolderListing.Listing listing = FolderListing.of(plain);

        assertEquals(List.of(".gitignore", "a.log", "b.py"), paths(listing));
        assertTrue(listing.warnings().get(0).contains("not in a git repository"), listing.warnings().toString());
    }

    @Test
    void aSkyignoreReplacesGitsRulesAndReadsAsSkyPilotReadsIt() throws Exception {
        assumeTrue(Trees.gitAvailable(), "git is not installed");
        Trees.git(repo, home, "", List.of(), "init", "-q");
        Trees.write(repo, Map.ofEntries(
                Map.entry(".skyignore", "# comment\n  *.jar  \n/top.txt\ndata/\ndir/*.bin\n!literal\n"),
                Map.entry(".gitignore", "*.py\n"),
                Map.entry("a.py", "kept: .gitignore is not read"),
                Map.entry("x.jar", "1"), Map.entry("sub/y.jar", "2"),
                Map.entry("top.txt", "3"), Map.entry("sub/top.txt", "kept: anchored"),
                Map.entry("data/f", "4"), Map.entry("sub/data/f", "5"), Map.entry("file-not-dir/data", "kept: dirs only"),
                Map.entry("dir/a.bin", "6"), Map.entry("deep/dir/b.bin", "7"), Map.entry("dir/sub/c.bin", "kept"),
                Map.entry("!literal", "8"), Map.entry("literal", "kept: no negation")));

        FolderListing.Listing listing = FolderListing.of(repo);

        assertEquals(List.of(".gitignore", ".skyignore", "a.py", "deep", "deep/dir", "dir", "dir/sub", "dir/sub/c.bin",
                "file-not-dir", "file-not-dir/data", "literal", "sub", "sub/top.txt"), paths(listing));
        assertEquals(".skyignore", listing.rulesUsed());
        assertTrue(Files.isDirectory(repo.resolve(".git")), "the top-level .git is there, and left out");
    }

    private static List<String> paths(FolderListing.Listing listing) {
        return listing.entries().stream().map(PackEntry::path).toList();
    }
}

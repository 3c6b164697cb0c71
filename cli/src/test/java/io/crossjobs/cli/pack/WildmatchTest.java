package io.crossjobs.cli.pack;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Git's wildmatch rules (gitignore(5), "PATTERN FORMAT"), case by case; the conformance with git itself is in FolderListingTest. */
class WildmatchTest {

    @Test
    void starsAndQuestionMarksStayWithinAComponent() {
        match(true, "*.log", "app.log");
        match(false, "*.log", "dir/app.log");
        match(true, "doc/*.txt", "doc/a.txt");
        match(false, "doc/*.txt", "doc/sub/a.txt");
        match(true, "foo?", "foo1");
        match(false, "foo?", "foo/");
        match(false, "foo?", "foo12");
        match(true, "a/*/c", "a/b/c");
        match(false, "a/*/c", "a/b/x/c");
    }

    @Test
    void doubleStarsCrossFoldersOnlyAsWholeComponents() {
        match(true, "**/cache", "cache");
        match(true, "**/cache", "a/b/cache");
        match(true, "tmp/**", "tmp/x/y");
        match(false, "tmp/**", "tmp");
        match(true, "a/**/z", "a/z");
        match(true, "a/**/z", "a/b/c/z");
        match(false, "a/**/z", "ab/z");
        // not a whole component: a plain star
        match(true, "a**b", "axxb");
        match(false, "a**b", "ax/xb");
        match(false, "x**/y", "xa/b/y");
    }

    @Test
    void classesRangesNegationAndEscapes() {
        match(true, "data[0-9].bin", "data7.bin");
        match(false, "data[0-9].bin", "dataX.bin");
        match(true, "[!x]y.dat", "ay.dat");
        match(false, "[!x]y.dat", "xy.dat");
        match(true, "[^x]y.dat", "ay.dat");
        match(true, "[]]", "]");
        match(true, "[a-]", "-");
        match(true, "[[:digit:]]x", "5x");
        match(false, "[[:digit:]]x", "ax");
        match(true, "[[:upper:][:lower:]]", "Q");
        match(false, "a[/]b", "a/b");
        match(true, "\\*star", "*star");
        match(false, "\\*star", "xstar");
        match(true, "\\#hash", "#hash");
        match(false, "[unterminated", "u");
    }

    @Test
    void withoutPathnameAStarCrossesSlashes() {
        assertEquals(true, Wildmatch.matches("a*c", "ab/c", false));
        assertEquals(false, Wildmatch.matches("a*c", "ab/c", true));
    }

    private static void match(boolean expected, String pattern, String text) {
        assertEquals(expected, Wildmatch.matches(pattern, text, true), pattern + " against " + text);
    }
}

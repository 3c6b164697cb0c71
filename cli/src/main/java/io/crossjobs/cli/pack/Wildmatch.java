package io.crossjobs.cli.pack;

/**
 * Git's glob matching ({@code wildmatch} with {@code WM_PATHNAME}, as git applies it to ignore patterns that hold a
 * slash): {@code *} and {@code ?} never match {@code /}; {@code **} matches across slashes only as a whole path
 * component ({@code **}/x, x/{@code **}, x/{@code **}/y), elsewhere it is a {@code *}; {@code [...]} classes with
 * {@code !} or {@code ^} negation, ranges and {@code [:name:]}; a backslash makes the next character literal.
 * Without {@code pathname} (git's basename matches) {@code *} matches anything.
 */
final class Wildmatch {
    private static final int MATCH = 0;
    private static final int NO_MATCH = 1;
    /** The text ran out: no shorter text can match either, so every enclosing {@code *} gives up. */
    private static final int ABORT_ALL = -1;
    /** A single {@code *} reached a slash: an enclosing {@code **} may still skip further. */
    private static final int ABORT_TO_STARSTAR = -2;

    static boolean matches(String pattern, String text, boolean pathname) {
        return new Wildmatch(pattern, text, pathname).match(0, 0) == MATCH;
    }

    private final String p;
    private final String t;
    private final boolean pathname;

    private Wildmatch(String pattern, String text, boolean pathname) {
        this.p = pattern;
        this.t = text;
        this.pathname = pathname;
    }

    /** The character at {@code i}, or 0 past the end (the C code's terminating NUL). */
    private static char at(String s, int i) {
        return i < s.length() ? s.charAt(i) : 0;
    }

    private int match(int pi, int ti) {
        for (; pi < p.length(); pi++, ti++) {
            char pc = p.charAt(pi);
            char tc = at(t, ti);
            if (tc == 0 && pc != '*') return ABORT_ALL;
            switch (pc) {
                case '\\':
                    pc = at(p, ++pi);
                    if (tc != pc) return NO_MATCH;
                    continue;
                case '?':
                    if (pathname && tc == '/') return NO_MATCH;
                    continue;
                case '*': {
                    boolean matchSlash;
                    if (at(p, pi + 1) == '*') {
                        int before = pi - 1;
                        pi++;
                        while (at(p, pi + 1) == '*') pi++;
                        // pi is on the last star of the run
                        char after = at(p, pi + 1);
                        if (!pathname) {
                            matchSlash = true;
                        } else if ((before < 0 || p.charAt(before) == '/')
                                && (after == 0 || after == '/' || (after == '\\' && at(p, pi + 2) == '/'))) {
                            // "**/" may match no folder at all: a/**/b matches a/b
                            if (after == '/' && match(pi + 2, ti) == MATCH) return MATCH;
                            matchSlash = true;
                        } else {
                            matchSlash = false;
                        }
                    } else {
                        matchSlash = !pathname;
                    }
                    int next = pi + 1;
                    if (next >= p.length()) {
                        // a trailing ** matches the rest; a trailing * only within the last component
                        if (!matchSlash && t.indexOf('/', ti) >= 0) return NO_MATCH;
                        return MATCH;
                    }
                    if (!matchSlash && p.charAt(next) == '/') {
                        // one star then a slash: the rest of this component, then the slash
                        int slash = t.indexOf('/', ti);
                        if (slash < 0) return NO_MATCH;
                        // both on the slash; the loop steps past them
                        pi = next;
                        ti = slash;
                        break;
                    }
                    while (true) {
                        if (ti >= t.length()) break;
                        char nextP = p.charAt(next);
                        if (!isGlobSpecial(nextP)) {
                            // a literal follows: skip to its next occurrence (not past a slash for a single star)
                            while (ti < t.length() && (matchSlash || t.charAt(ti) != '/') && t.charAt(ti) != nextP) ti++;
                            if (at(t, ti) != nextP) return NO_MATCH;
                        }
                        int m = match(next, ti);
                        if (m != NO_MATCH) {
                            if (!matchSlash || m != ABORT_TO_STARSTAR) return m;
                        } else if (!matchSlash && at(t, ti) == '/') {
                            return ABORT_TO_STARSTAR;
                        }
                        ti++;
                    }
                    return ABORT_ALL;
                }
                case '[': {
                    int r = matchClass(pi, tc);
                    if (r < 0) return ABORT_ALL;
                    if (r == Integer.MAX_VALUE) return NO_MATCH;
                    pi = r;
                    continue;
                }
                default:
                    if (tc != pc) return NO_MATCH;
            }
        }
        return ti < t.length() ? NO_MATCH : MATCH;
    }

    /**
     * Matches {@code tc} against the class opening at {@code open}: the index of its closing {@code ]} when it
     * matches, {@link Integer#MAX_VALUE} when not, -1 when the class is malformed or unterminated.
     */
    private int matchClass(int open, char tc) {
        int i = open + 1;
        char pc = at(p, i);
        if (pc == '!') pc = '^';
        boolean negated = pc == '^';
        if (negated) pc = at(p, ++i);
        char prev = 0;
        boolean matched = false;
        do {
            if (pc == 0) return -1;
            if (pc == '\\') {
                pc = at(p, ++i);
                if (pc == 0) return -1;
                if (tc == pc) matched = true;
            } else if (pc == '-' && prev != 0 && at(p, i + 1) != 0 && at(p, i + 1) != ']') {
                pc = at(p, ++i);
                if (pc == '\\') {
                    pc = at(p, ++i);
                    if (pc == 0) return -1;
                }
                if (tc <= pc && tc >= prev) matched = true;
                pc = 0; // a range does not start another
            } else if (pc == '[' && at(p, i + 1) == ':') {
                int start = i + 2;
                int j = start;
                while (at(p, j) != 0 && at(p, j) != ']') j++;
                if (at(p, j) == 0) return -1;
                if (j - start - 1 < 0 || p.charAt(j - 1) != ':') {
                    // no ":]": a plain '[' in the set
                    i = start - 2;
                    pc = '[';
                    if (tc == pc) matched = true;
                } else {
                    Boolean inClass = inNamedClass(p.substring(start, j - 1), tc);
                    if (inClass == null) return -1;
                    if (inClass) matched = true;
                    i = j;
                    pc = 0;
                }
            } else if (tc == pc) {
                matched = true;
            }
            prev = pc;
            pc = at(p, ++i);
        } while (pc != ']');
        if (matched == negated || (pathname && tc == '/')) return Integer.MAX_VALUE;
        return i;
    }

    /** Whether {@code c} is in the POSIX class {@code name}; null for an unknown name. */
    private static Boolean inNamedClass(String name, char c) {
        boolean ascii = c < 128;
        return switch (name) {
            case "alnum" -> ascii && Character.isLetterOrDigit(c);
            case "alpha" -> ascii && Character.isLetter(c);
            case "blank" -> c == ' ' || c == '\t';
            case "cntrl" -> c < 32 || c == 127;
            case "digit" -> c >= '0' && c <= '9';
            case "graph" -> c > 32 && c < 127;
            case "lower" -> c >= 'a' && c <= 'z';
            case "print" -> c >= 32 && c < 127;
            case "punct" -> c > 32 && c < 127 && !Character.isLetterOrDigit(c);
            case "space" -> c == ' ' || (c >= '\t' && c <= '\r');
            case "upper" -> c >= 'A' && c <= 'Z';
            case "xdigit" -> (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
            default -> null;
        };
    }

    private static boolean isGlobSpecial(char c) {
        return c == '*' || c == '?' || c == '[' || c == '\\';
    }
}

package io.crossjobs.mockcloud.objects;

import java.util.Comparator;

/**
 * Unsigned UTF-8 byte order of strings. It equals code point order, which differs from {@link String#compareTo}
 * (UTF-16 units) for characters above U+FFFF against U+E000..U+FFFF.
 */
public final class Utf8Order {
    public static final Comparator<String> COMPARATOR = Utf8Order::compare;

    private Utf8Order() { }

    public static int compare(String a, String b) {
        int i = 0;
        int j = 0;
        while (i < a.length() && j < b.length()) {
            int ca = a.codePointAt(i);
            int cb = b.codePointAt(j);
            if (ca != cb) return Integer.compare(ca, cb);
            i += Character.charCount(ca);
            j += Character.charCount(cb);
        }
        return Integer.compare(a.length() - i, b.length() - j);
    }
}

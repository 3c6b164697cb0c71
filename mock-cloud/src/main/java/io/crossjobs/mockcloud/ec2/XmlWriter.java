package io.crossjobs.mockcloud.ec2;

/** Just enough streaming XML for EC2 responses: elements, text leaves, escaping. */
public final class XmlWriter {
    private final StringBuilder sb = new StringBuilder(1024).append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");

    public XmlWriter open(String name) {
        sb.append('<').append(name).append('>');
        return this;
    }

    public XmlWriter open(String name, String xmlns) {
        sb.append('<').append(name).append(" xmlns=\"").append(escape(xmlns)).append("\">");
        return this;
    }

    public XmlWriter close(String name) {
        sb.append("</").append(name).append('>');
        return this;
    }

    /** {@code <name>value</name>}; nothing when value is null. */
    public XmlWriter leaf(String name, Object value) {
        if (value == null) return this;
        sb.append('<').append(name).append('>').append(escape(value.toString())).append("</").append(name)
                .append('>');
        return this;
    }

    public XmlWriter empty(String name) {
        sb.append('<').append(name).append("/>");
        return this;
    }

    @Override
    public String toString() {
        return sb.toString();
    }

    /** Escapes markup and replaces characters XML 1.0 cannot carry with U+FFFD. */
    public static String escape(String s) {
        StringBuilder out = null;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            String rep = switch (c) {
                case '&' -> "&amp;";
                case '<' -> "&lt;";
                case '>' -> "&gt;";
                case '"' -> "&quot;";
                case '\'' -> "&apos;";
                default -> legal(s, i) ? null : "\uFFFD";
            };
            if (rep == null) {
                if (out != null) out.append(c);
            } else {
                if (out == null) out = new StringBuilder(s.length() + 16).append(s, 0, i);
                out.append(rep);
            }
        }
        return out == null ? s : out.toString();
    }

    private static boolean legal(String s, int i) {
        char c = s.charAt(i);
        if (c == '\t' || c == '\n' || c == '\r') return true;
        if (c < 0x20 || c == 0xFFFE || c == 0xFFFF) return false;
        if (Character.isHighSurrogate(c)) return i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1));
        if (Character.isLowSurrogate(c)) return i > 0 && Character.isHighSurrogate(s.charAt(i - 1));
        return true;
    }
}

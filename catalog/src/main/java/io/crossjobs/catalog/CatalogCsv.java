package io.crossjobs.catalog;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The catalog's CSV files: {@code #} lines say where the figures come from, the first other line names the columns,
 * every further non-blank line is one row.
 */
final class CatalogCsv {

    /** Turns one data row (stripped) of {@code source} at line {@code lineNo} into a value, or throws naming both. */
    interface RowParser<T> {
        T parse(String source, int lineNo, String row);
    }

    static <T> List<T> fromClasspath(String what, String resource, RowParser<T> parser) {
        try (InputStream in = CatalogCsv.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) throw new IllegalStateException(what + " " + resource + " not found on the class path");
            return rows(resource, new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8)), parser);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + what + " " + resource, e);
        }
    }

    static <T> List<T> rows(String source, BufferedReader reader, RowParser<T> parser) throws IOException {
        List<T> rows = new ArrayList<>();
        String line;
        int lineNo = 0;
        boolean headerSeen = false;
        while ((line = reader.readLine()) != null) {
            lineNo++;
            String trimmed = line.strip();
            if (trimmed.isEmpty() || trimmed.startsWith("#")) continue;
            if (!headerSeen) {
                headerSeen = true;
                continue;
            }
            rows.add(parser.parse(source, lineNo, trimmed));
        }
        return rows;
    }

    private CatalogCsv() { }
}

package io.crossjobs.cli.pack;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.zip.GZIPOutputStream;

/**
 * Writes entries as a gzip'd tar that depends only on their paths, kinds, contents, exec bits and link targets, so
 * that an unchanged folder packs to the same bytes (and digest): entries in the order given (sorted by path), every
 * time the epoch, uid/gid 0 with no user or group name, mode 0644 or 0755 (folders 0755, links 0777), POSIX (pax)
 * headers for long or non-ASCII names; the JDK's gzip header has mtime 0 and no file name. The same bytes need the
 * same deflate implementation: another JDK or zlib may compress differently, which only costs a re-upload.
 */
final class TarGz {
    private static final FileTime EPOCH = FileTime.fromMillis(0);

    static void write(List<PackEntry> entries, OutputStream out) throws IOException {
        GZIPOutputStream gzip = new GZIPOutputStream(out, 1 << 16);
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(gzip, StandardCharsets.UTF_8.name())) {
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
            tar.setAddPaxHeadersForNonAsciiNames(true);
            for (PackEntry e : entries) {
                TarArchiveEntry t = header(e);
                tar.putArchiveEntry(t);
                if (e.kind() == PackEntry.Kind.FILE) {
                    try (InputStream in = Files.newInputStream(e.source())) {
                        long copied = in.transferTo(tar);
                        if (copied != e.size()) {
                            throw new IOException(e.source() + " changed size while it was packed (" + e.size()
                                    + " bytes listed, " + copied + " read)");
                        }
                    }
                }
                tar.closeArchiveEntry();
            }
            tar.finish();
        }
    }

    private static TarArchiveEntry header(PackEntry e) {
        TarArchiveEntry t = switch (e.kind()) {
            case FOLDER -> {
                TarArchiveEntry d = new TarArchiveEntry(e.path() + "/", TarConstants.LF_DIR);
                d.setMode(040755);
                yield d;
            }
            case LINK -> {
                TarArchiveEntry l = new TarArchiveEntry(e.path(), TarConstants.LF_SYMLINK);
                l.setLinkName(e.linkTarget());
                l.setMode(0120777);
                yield l;
            }
            case FILE -> {
                TarArchiveEntry f = new TarArchiveEntry(e.path(), TarConstants.LF_NORMAL);
                f.setMode(0100000 | (e.executable() ? 0755 : 0644));
                f.setSize(e.size());
                yield f;
            }
        };
        t.setLastModifiedTime(EPOCH);
        t.setIds(0, 0);
        t.setUserName("");
        t.setGroupName("");
        return t;
    }

    private TarGz() { }
}

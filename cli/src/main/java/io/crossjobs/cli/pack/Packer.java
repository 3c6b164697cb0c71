package io.crossjobs.cli.pack;

import io.crossjobs.cli.CliException;
import io.crossjobs.cli.format.Sizes;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns a local folder into a content-addressed archive ({@link FolderListing} chooses what goes in, {@link TarGz}
 * writes it) and a local file into its digest, refusing anything over {@code maxBytes} before it is uploaded.
 * Archives are written to {@code tempDir}; {@link #close} deletes them.
 */
public final class Packer implements AutoCloseable {
    private final long maxBytes;
    private final Path tempDir;
    private final Map<Path, Packed> done = new LinkedHashMap<>();

    public Packer(long maxBytes, Path tempDir) {
        this.maxBytes = maxBytes;
        this.tempDir = tempDir;
    }

    /** {@code source} packed (a folder) or hashed (a file); {@code what} names it in messages. Each source once. */
    public Packed pack(Path source, String what) {
        Path real;
        try {
            real = source.toRealPath();
        } catch (IOException e) {
            throw new CliException(what + ": " + source + " does not exist");
        }
        Packed known = done.get(real);
        if (known != null) return known;
        Packed packed;
        try {
            if (Files.isDirectory(real)) {
                packed = folder(real, source, what);
            } else if (Files.isRegularFile(real)) {
                packed = file(real, source, what);
            } else {
                throw new CliException(what + ": " + source + " is neither a file nor a folder");
            }
        } catch (IOException | UncheckedIOException e) {
            throw new CliException(what + ": cannot read " + source + ": " + e.getMessage());
        }
        done.put(real, packed);
        return packed;
    }

    private Packed folder(Path real, Path source, String what) throws IOException {
        FolderListing.Listing listing = FolderListing.of(real);
        Files.createDirectories(tempDir);
        Path archive = Files.createTempFile(tempDir, "crossjobs-", ".tar.gz");
        MessageDigest sha = sha256();
        try (OutputStream out = new Limited(new DigestOutputStream(Files.newOutputStream(archive), sha), maxBytes)) {
            TarGz.write(listing.entries(), out);
        } catch (Limited.Exceeded e) {
            Files.deleteIfExists(archive);
            throw new CliException(SizeReport.overLimit(what, source, maxBytes, listing));
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(archive);
            throw e;
        }
        return new Packed(Packed.Kind.ARCHIVE, source, archive, digestOf(sha), Files.size(archive), listing.warnings());
    }

    private Packed file(Path real, Path source, String what) throws IOException {
        long size = Files.size(real);
        if (size > maxBytes) {
            throw new CliException(what + ": " + source + " is " + Sizes.human(size) + ", over the upload limit of "
                    + Sizes.human(maxBytes) + "; nothing was uploaded. " + SizeReport.RAISE);
        }
        MessageDigest sha = sha256();
        try (InputStream in = Files.newInputStream(real)) {
            byte[] buffer = new byte[1 << 16];
            for (int n; (n = in.read(buffer)) > 0; ) sha.update(buffer, 0, n);
        }
        return new Packed(Packed.Kind.FILE, source, real, digestOf(sha), size, List.of());
    }

    /** Deletes the archives written. */
    @Override
    public void close() {
        for (Packed p : done.values()) {
            if (p.kind() != Packed.Kind.ARCHIVE) continue;
            try {
                Files.deleteIfExists(p.bytes());
            } catch (IOException ignored) {
                // a temporary file left behind is no reason to fail the launch
            }
        }
    }

    static String digestOf(MessageDigest sha) {
        return "sha256:" + HexFormat.of().formatHex(sha.digest());
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Counts what passes and stops at the limit, so an oversized folder is not packed to its end. */
    private static final class Limited extends FilterOutputStream {
        static final class Exceeded extends IOException {
            Exceeded() { super("over the limit"); }
        }

        private final long max;
        private long count;

        Limited(OutputStream out, long max) {
            super(out);
            this.max = max;
        }

        @Override
        public void write(int b) throws IOException {
            grow(1);
            out.write(b);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            grow(len);
            out.write(b, off, len);
        }

        private void grow(long n) throws Exceeded {
            count += n;
            if (count > max) throw new Exceeded();
        }
    }
}

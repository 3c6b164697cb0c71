package io.crossjobs.mockcloud.objects;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;

/**
 * Bytes received but not yet an object: a file in the store's staging directory with its size and MD5, made by
 * {@link ObjectStore#stage}. Writing it into the store moves the file; closing an unused one deletes it.
 */
public final class StagedData implements AutoCloseable {
    private final Path file;
    private final long size;
    private final byte[] md5;
    private final boolean composed;
    private volatile boolean consumed;

    StagedData(Path file, long size, byte[] md5, boolean composed) {
        this.file = file;
        this.size = size;
        this.md5 = md5.clone();
        this.composed = composed;
    }

    /** Made from parts by {@link ObjectStore#concat}: bound by the object size limit, not the single-write one. */
    public boolean composed() {
        return composed;
    }

    public long size() {
        return size;
    }

    public byte[] md5() {
        return md5.clone();
    }

    public String md5Hex() {
        return HexFormat.of().formatHex(md5);
    }

    /** The content from the start (for checksums a front end verifies before storing). */
    public InputStream open() {
        try {
            return Files.newInputStream(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    Path file() {
        return file;
    }

    /** The store took the file over; closing no longer deletes it. */
    void consumed() {
        consumed = true;
    }

    @Override
    public void close() {
        if (consumed) return;
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

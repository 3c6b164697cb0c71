package io.crossjobs.mockcloud.objects;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

/**
 * An open object version: the bytes stay readable while it is open, even if the key is overwritten or deleted
 * meanwhile (the store replaces files instead of rewriting them, appends only add past {@code object.size()}).
 */
public final class ObjectReader implements AutoCloseable {
    private final StoredObject object;
    private final FileChannel channel;

    ObjectReader(StoredObject object, FileChannel channel) {
        this.object = object;
        this.channel = channel;
    }

    public StoredObject object() {
        return object;
    }

    /** {@code length} bytes from {@code offset}, within this version's size. */
    public InputStream stream(long offset, long length) {
        if (offset < 0 || length < 0 || offset + length > object.size()) {
            throw new IllegalArgumentException("range " + offset + "+" + length + " outside 0.." + object.size());
        }
        return new InputStream() {
            private long pos = offset;
            private final long end = offset + length;

            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                if (pos >= end) return -1;
                int n = channel.read(ByteBuffer.wrap(b, off, (int) Math.min(len, end - pos)), pos);
                if (n < 0) throw new IOException("object file shorter than its recorded size");
                pos += n;
                return n;
            }
        };
    }

    @Override
    public void close() {
        try {
            channel.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

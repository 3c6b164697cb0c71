package io.crossjobs.mockcloud.objects;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** How every object front end sends an object's bytes: streamed from its file, at the pace the client reads. */
public final class ObjectDownload {
    private static final Logger LOG = Logger.getLogger(ObjectDownload.class);
    private static final int CHUNK = 64 * 1024;

    /**
     * Sends {@code length} bytes from {@code offset} of the open object with their Content-Length (a HEAD request
     * gets the header only), then closes the reader. Runs on a worker thread, which blocks while the client reads
     * slower; a download that breaks off closes the connection, so the client sees it was cut short.
     */
    public static void stream(HttpServerRequest req, HttpServerResponse out, ObjectReader reader, long offset,
                              long length, String frontEnd) {
        try (reader; InputStream in = reader.stream(offset, length)) {
            out.putHeader("Content-Length", String.valueOf(length));
            if (req.method() == HttpMethod.HEAD) {
                out.end();
                return;
            }
            byte[] buf = new byte[CHUNK];
            int n;
            while ((n = in.read(buf)) > 0) {
                if (out.closed()) return;
                out.write(Buffer.buffer(Arrays.copyOf(buf, n)));
                awaitDrain(out);
            }
            out.end();
        } catch (IOException e) {
            LOG.debugf("%s download ended early: %s", frontEnd, e);
            req.connection().close();
        }
    }

    /** Blocks this worker thread while the connection's write queue is full (the client reads slower). */
    private static void awaitDrain(HttpServerResponse out) throws IOException {
        if (!out.writeQueueFull()) return;
        CompletableFuture<Void> drained = new CompletableFuture<>();
        out.drainHandler(v -> drained.complete(null));
        out.closeHandler(v -> drained.complete(null));
        if (!out.writeQueueFull()) return;
        try {
            drained.get(5, TimeUnit.MINUTES);
        } catch (Exception e) {
            throw new IOException("client stopped reading", e);
        }
    }

    private ObjectDownload() { }
}

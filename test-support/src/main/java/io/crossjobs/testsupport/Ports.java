package io.crossjobs.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * Ports for the processes a JVM starts. A port nothing listens on is not enough: two JVMs that each start a stack
 * (the scenarios' test JVMs side by side, a launcher beside them) can both be told the same port by the kernel, and
 * whichever service binds it second cannot start, again at every restart. So each port handed out is also claimed:
 * a lock on a file named after it, in a folder every JVM of this user shares, held until this JVM ends. A port
 * another JVM holds is not handed out.
 */
public final class Ports {
    private static final Path CLAIMS = Path.of(System.getProperty("java.io.tmpdir"),
            "crossjobs-ports-" + System.getProperty("user.name"));
    private static final int TRIES = 100;
    /** The claims of this JVM, released by its exit. */
    private static final List<FileLock> HELD = new ArrayList<>();

    public static synchronized int free() {
        for (int i = 0; i < TRIES; i++) {
            int port = unbound();
            if (claim(port)) return port;
        }
        throw new IllegalStateException("no port both unbound and unclaimed after " + TRIES + " tries (claims in "
                + CLAIMS + ")");
    }

    private static int unbound() {
        try (ServerSocket s = new ServerSocket(0)) {
            s.setReuseAddress(true);
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Whether this JVM now holds {@code port}: false when this or another JVM holds it already. */
    static synchronized boolean claim(int port) {
        try {
            Files.createDirectories(CLAIMS);
            FileChannel channel = FileChannel.open(CLAIMS.resolve(Integer.toString(port)), StandardOpenOption.CREATE,
                    StandardOpenOption.WRITE);
            FileLock lock;
            try {
                lock = channel.tryLock();
            } catch (OverlappingFileLockException heldHere) {
                lock = null;
            }
            if (lock == null) {
                channel.close();
                return false;
            }
            HELD.add(lock);
            return true;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Ports() { }
}

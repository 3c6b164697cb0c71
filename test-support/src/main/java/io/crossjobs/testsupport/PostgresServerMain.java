package io.crossjobs.testsupport;

import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/**
 * PostgreSQL as its own process, for the local stack: {@code PostgresServerMain PORT DATA_DIR DB[,DB...]}.
 * Reuses the cluster in DATA_DIR if there is one, creates the missing databases, prints
 * {@code POSTGRES READY <port>}; stops the server on SIGTERM.
 */
public final class PostgresServerMain {
    public static void main(String[] args) throws Exception {
        if (args.length != 3) {
            System.err.println("usage: PostgresServerMain PORT DATA_DIR DB[,DB...]");
            System.exit(2);
        }
        Postgres pg = new Postgres(Integer.parseInt(args[0]), Path.of(args[1]));
        for (String db : args[2].split(",")) pg.ensureDatabase(db.trim());
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try { pg.close(); } catch (Exception e) { e.printStackTrace(); }
            stopped.countDown();
        }));
        System.out.println("POSTGRES READY " + pg.port());
        stopped.await();
    }

    private PostgresServerMain() { }
}

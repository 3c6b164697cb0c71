package io.crossjobs.testsupport;

import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/**
 * PostgreSQL as its own process, for the local stack: {@code PostgresServerMain PORT DATA_DIR DB[,DB...]
 * [PASSWORD_FILE]}. Reuses the cluster in DATA_DIR if there is one, creates the missing databases, prints
 * {@code POSTGRES READY <port>}; stops the server on SIGTERM. With PASSWORD_FILE (a file, so the password is on no
 * command line) every connection must give that password ({@link Postgres#Postgres(int, Path, String)}).
 */
public final class PostgresServerMain {
    public static void main(String[] args) throws Exception {
        if (args.length != 3 && args.length != 4) {
            System.err.println("usage: PostgresServerMain PORT DATA_DIR DB[,DB...] [PASSWORD_FILE]");
            System.exit(2);
        }
        String password = args.length == 4 ? java.nio.file.Files.readString(Path.of(args[3])).trim() : null;
        Postgres pg = new Postgres(Integer.parseInt(args[0]), Path.of(args[1]), password);
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

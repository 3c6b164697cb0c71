package io.crossjobs.testsupport;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * A real PostgreSQL server from zonky's embedded binaries (which, unlike Debian's, also start as root).
 * With a data directory that already holds a cluster, the cluster is reused: that is how the stack keeps
 * its jobs across restarts.
 */
public final class Postgres implements AutoCloseable {
    public static final String USER = "postgres";
    public static final String PASSWORD = "postgres";

    private final EmbeddedPostgres pg;

    public Postgres(int port, Path dataDir) throws IOException {
        EmbeddedPostgres.Builder b = EmbeddedPostgres.builder().setPort(port)
                .setServerConfig("max_connections", "300")
                .setServerConfig("fsync", "off");
        if (dataDir != null) b.setDataDirectory(dataDir).setCleanDataDirectory(false);
        pg = b.start();
    }

    public int port() { return pg.getPort(); }

    /** Creates the database unless it exists. */
    public void ensureDatabase(String name) throws SQLException {
        try (Connection c = pg.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
            try (ResultSet rs = s.executeQuery("select 1 from pg_database where datname = '" + name + "'")) {
                if (rs.next()) return;
            }
            s.execute("create database \"" + name + "\"");
        }
    }

    @Override
    public void close() throws IOException {
        pg.close();
    }
}

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
        this(port, dataDir, null);
    }

    /**
     * With {@code password} (not null): every connection, local or over loopback, must give {@link #USER}'s password
     * (scram-sha-256), set here; initdb's default trusts every connection from this machine, which would let any of its
     * processes in as the superuser. A cluster already secured so is started with the password.
     */
    public Postgres(int port, Path dataDir, String password) throws IOException {
        EmbeddedPostgres.Builder b = EmbeddedPostgres.builder().setPort(port)
                .setServerConfig("max_connections", "300")
                .setServerConfig("fsync", "off");
        if (password != null) b.setConnectConfig("password", password);
        if (dataDir != null) b.setDataDirectory(dataDir).setCleanDataDirectory(false);
        pg = b.start();
        if (password != null) requirePassword(password);
    }

    private void requirePassword(String password) throws IOException {
        try (Connection c = pg.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
            s.execute("set password_encryption = 'scram-sha-256'");
            s.execute("alter role " + USER + " with password '" + password.replace("'", "''") + "'");
            Path hba;
            try (ResultSet rs = s.executeQuery("show hba_file")) {
                rs.next();
                hba = Path.of(rs.getString(1));
            }
            java.nio.file.Files.writeString(hba, """
                    # crossjobs: every connection gives its password (Postgres#requirePassword)
                    local   all             all                                     scram-sha-256
                    host    all             all             127.0.0.1/32            scram-sha-256
                    host    all             all             ::1/128                 scram-sha-256
                    """);
            s.execute("select pg_reload_conf()");
        } catch (SQLException e) {
            throw new IOException("cannot make PostgreSQL require a password: " + e.getMessage(), e);
        }
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

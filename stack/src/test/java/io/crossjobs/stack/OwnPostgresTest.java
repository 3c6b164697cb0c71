package io.crossjobs.stack;

import io.crossjobs.testsupport.Ports;
import io.crossjobs.testsupport.Postgres;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.DriverManager;
import java.sql.SQLException;

import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * The local stack's own PostgreSQL asks every connection for its password: a process of this machine without it
 * (a job on the local stack) is not let in, also after a restart on the same data.
 */
class OwnPostgresTest {
    @TempDir
    Path dir;

    @Test
    void onlyTheStacksPasswordIsLetIn() throws Exception {
        int port = Ports.free();
        String url = "jdbc:postgresql://127.0.0.1:" + port + "/postgres";
        try (Postgres pg = new Postgres(port, dir.resolve("data"), "s3cret-of-the-stack")) {
            DriverManager.getConnection(url, Postgres.USER, "s3cret-of-the-stack").close();
            assertThrows(SQLException.class, () -> DriverManager.getConnection(url, Postgres.USER, Postgres.PASSWORD));
            assertThrows(SQLException.class, () -> DriverManager.getConnection(url, Postgres.USER, ""));
        }
        try (Postgres again = new Postgres(port, dir.resolve("data"), "s3cret-of-the-stack")) {
            DriverManager.getConnection(url, Postgres.USER, "s3cret-of-the-stack").close();
            assertThrows(SQLException.class, () -> DriverManager.getConnection(url, Postgres.USER, Postgres.PASSWORD));
        }
    }
}

package io.crossjobs.testsupport;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;

/** One database on a PostgreSQL server, with the settings a Quarkus service needs to use it. */
public record PgDatabase(String hostPort, String name, String user, String password) {

    public String jdbcUrl() { return "jdbc:postgresql://" + hostPort + "/" + name; }

    public String reactiveUrl() { return "postgresql://" + hostPort + "/" + name; }

    public Map<String, String> quarkusConfig() {
        return Map.of(
                "quarkus.datasource.jdbc.url", jdbcUrl(),
                "quarkus.datasource.reactive.url", reactiveUrl(),
                "quarkus.datasource.username", user,
                "quarkus.datasource.password", password);
    }

    void create() {
        try (Connection c = DriverManager.getConnection("jdbc:postgresql://" + hostPort + "/postgres", user, password);
             Statement s = c.createStatement()) {
            s.execute("create database \"" + name + "\"");
        } catch (SQLException e) {
            throw new IllegalStateException("could not create database " + name + " on " + hostPort, e);
        }
    }
}

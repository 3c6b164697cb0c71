package io.crossjobs.testsupport;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.UUID;

/**
 * One Kafka broker and one PostgreSQL server per test JVM, started on first use on random ports and
 * stopped when the JVM exits. {@code CROSSJOBS_TEST_KAFKA_BOOTSTRAP} and {@code CROSSJOBS_TEST_PG_URL}
 * (a JDBC-less {@code host:port}, with {@code CROSSJOBS_TEST_PG_USER} / {@code _PASSWORD}) point the
 * tests at external servers instead.
 */
public final class RealServers {
    private static String kafkaBootstrap;
    private static String pgHostPort;
    private static Postgres postgres;

    public static synchronized String kafkaBootstrap() {
        if (kafkaBootstrap == null) {
            kafkaBootstrap = System.getenv("CROSSJOBS_TEST_KAFKA_BOOTSTRAP");
            if (kafkaBootstrap == null) kafkaBootstrap = startBroker();
        }
        return kafkaBootstrap;
    }

    /** A new, empty database for one application start, so tests of different services never share rows. */
    public static synchronized PgDatabase freshDatabase() {
        if (pgHostPort == null) {
            pgHostPort = System.getenv("CROSSJOBS_TEST_PG_URL");
            if (pgHostPort == null) pgHostPort = startPostgres();
        }
        String name = "test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        String user = env("CROSSJOBS_TEST_PG_USER", Postgres.USER);
        String password = env("CROSSJOBS_TEST_PG_PASSWORD", Postgres.PASSWORD);
        PgDatabase db = new PgDatabase(pgHostPort, name, user, password);
        db.create();
        return db;
    }

    private static String startBroker() {
        try {
            long t0 = System.nanoTime();
            Path dir = Files.createTempDirectory("crossjobs-kafka-");
            KafkaBroker broker = new KafkaBroker(Ports.free(), dir, 4);
            Runtime.getRuntime().addShutdownHook(new Thread(broker::close));
            System.out.printf("test-support: Kafka %s started in %d ms%n", broker.bootstrapServers(),
                    (System.nanoTime() - t0) / 1_000_000);
            return broker.bootstrapServers();
        } catch (Exception e) {
            throw new IllegalStateException("could not start the in-JVM Kafka broker", e);
        }
    }

    private static String startPostgres() {
        try {
            long t0 = System.nanoTime();
            postgres = new Postgres(Ports.free(), null);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try { postgres.close(); } catch (Exception ignored) { }
            }));
            System.out.printf("test-support: PostgreSQL on port %d started in %d ms%n", postgres.port(),
                    (System.nanoTime() - t0) / 1_000_000);
            return "127.0.0.1:" + postgres.port();
        } catch (Exception e) {
            throw new IllegalStateException("could not start embedded PostgreSQL", e);
        }
    }

    private static String env(String name, String fallback) {
        String v = System.getenv(name);
        return v == null ? fallback : v;
    }

    private RealServers() { }
}

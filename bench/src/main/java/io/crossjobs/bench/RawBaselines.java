package io.crossjobs.bench;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.LongDeserializer;
import org.apache.kafka.common.serialization.LongSerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The floor crossjobs' hops are compared with, measured on the same broker and database in the same run: one
 * Kafka produce → consume hop (producer settings as the services': acks=all, idempotent) and one PostgreSQL
 * insert + commit. Both paced at the fixed-load rate, so they see the machine as the line does.
 */
final class RawBaselines {
    private static final String TOPIC = "bench-raw-hop";
    private static final String DATABASE = "crossjobs_bench";

    private RawBaselines() { }

    static Latencies kafkaHop(String bootstrap, int samples, int perSecond) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            if (!admin.listTopics().names().get(30, TimeUnit.SECONDS).contains(TOPIC)) {
                admin.createTopics(List.of(new NewTopic(TOPIC, 1, (short) 1))).all().get(30, TimeUnit.SECONDS);
            }
        }
        Latencies hop = new Latencies();
        TopicPartition partition = new TopicPartition(TOPIC, 0);
        try (KafkaConsumer<String, Long> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName(),
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, LongDeserializer.class.getName()));
             KafkaProducer<String, Long> producer = new KafkaProducer<>(Map.of(
                     ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                     ProducerConfig.ACKS_CONFIG, "all",
                     ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                     ProducerConfig.LINGER_MS_CONFIG, 0,
                     ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName(),
                     ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, LongSerializer.class.getName()))) {
            consumer.assign(List.of(partition));
            consumer.seekToEnd(List.of(partition));
            consumer.position(partition);
            Thread sender = new Thread(() -> {
                long interval = 1_000_000_000L / Math.max(1, perSecond);
                long start = System.nanoTime();
                for (int i = 0; i < samples; i++) {
                    LockSupport.parkNanos(start + i * interval - System.nanoTime());
                    producer.send(new ProducerRecord<>(TOPIC, "k" + (i % 64), System.nanoTime()));
                }
                producer.flush();
            }, "raw-kafka-sender");
            sender.start();
            long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
            while (hop.count() < samples && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, Long> r : consumer.poll(Duration.ofMillis(100))) {
                    hop.add(System.nanoTime() - r.value());
                }
            }
            sender.join();
        }
        return hop;
    }

    static Latencies postgresCommit(String hostPort, String user, String password, int samples, int perSecond)
            throws SQLException {
        createDatabase(hostPort, user, password);
        Latencies commit = new Latencies();
        try (Connection c = DriverManager.getConnection("jdbc:postgresql://" + hostPort + "/" + DATABASE, user,
                password)) {
            try (Statement s = c.createStatement()) {
                s.execute("create table if not exists raw_insert (id bigserial primary key, payload text not null,"
                        + " at timestamptz not null default now())");
            }
            c.setAutoCommit(false);
            long interval = 1_000_000_000L / Math.max(1, perSecond);
            long start = System.nanoTime();
            try (PreparedStatement insert = c.prepareStatement("insert into raw_insert (payload) values (?)")) {
                for (int i = 0; i < samples; i++) {
                    LockSupport.parkNanos(start + i * interval - System.nanoTime());
                    long t0 = System.nanoTime();
                    insert.setString(1, "{\"sample\":" + i + "}");
                    insert.executeUpdate();
                    c.commit();
                    commit.add(System.nanoTime() - t0);
                }
            }
        }
        return commit;
    }

    private static void createDatabase(String hostPort, String user, String password) throws SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:postgresql://" + hostPort + "/postgres", user, password);
             Statement s = c.createStatement()) {
            try (ResultSet rs = s.executeQuery("select 1 from pg_database where datname = '" + DATABASE + "'")) {
                if (rs.next()) return;
            }
            s.execute("create database " + DATABASE);
        }
    }
}

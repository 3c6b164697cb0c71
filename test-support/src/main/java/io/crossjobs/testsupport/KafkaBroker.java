package io.crossjobs.testsupport;

import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.tools.StorageTool;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;

import java.io.IOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

/**
 * A real single-node KRaft Kafka (broker and controller in one) inside the current JVM, at the
 * {@code kafka_2.13} version the Quarkus BOM pins, so its protocol matches the services' clients.
 * An already formatted log directory is reused, so a broker restarted on the same directory keeps its topics
 * and the consumer groups' offsets.
 */
public final class KafkaBroker implements AutoCloseable {
    private final int port;
    private final KafkaRaftServer server;

    public KafkaBroker(int port, Path logDir, int partitions) throws IOException {
        this.port = port;
        int controllerPort = Ports.free();
        Files.createDirectories(logDir);
        Properties p = new Properties();
        p.put("process.roles", "broker,controller");
        p.put("node.id", "1");
        p.put("controller.quorum.voters", "1@127.0.0.1:" + controllerPort);
        p.put("listeners", "PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort);
        p.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + port);
        p.put("controller.listener.names", "CONTROLLER");
        p.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        p.put("inter.broker.listener.name", "PLAINTEXT");
        p.put("log.dirs", logDir.toString());
        p.put("num.partitions", String.valueOf(partitions));
        p.put("offsets.topic.replication.factor", "1");
        p.put("offsets.topic.num.partitions", "4");
        p.put("transaction.state.log.replication.factor", "1");
        p.put("transaction.state.log.min.isr", "1");
        p.put("share.coordinator.state.topic.replication.factor", "1");
        p.put("share.coordinator.state.topic.min.isr", "1");
        p.put("group.initial.rebalance.delay.ms", "0");
        p.put("auto.create.topics.enable", "true");
        // the controller appends a no-op record to the metadata log every 500 ms by default (KIP-835), a third of an
        // idle single-node broker's CPU; one node has no follower to prove liveness to, so every 5 s is plenty
        p.put("metadata.max.idle.interval.ms", "5000");
        Path props = logDir.resolve("server.properties");
        try (Writer w = Files.newBufferedWriter(props)) {
            p.store(w, null);
        }
        // format once: formatting again, even with --ignore-formatted, disagrees with the stored cluster id
        if (!Files.exists(logDir.resolve("meta.properties"))) {
            int rc = StorageTool.execute(new String[]{"format", "-t", Uuid.randomUuid().toString(),
                    "-c", props.toString()}, System.out);
            if (rc != 0) throw new IllegalStateException("kafka storage format failed with exit code " + rc);
        }
        server = new KafkaRaftServer(KafkaConfig.fromProps(p), Time.SYSTEM);
        server.startup();
    }

    public String bootstrapServers() { return "127.0.0.1:" + port; }

    @Override
    public void close() {
        server.shutdown();
        server.awaitShutdown();
    }
}

package io.crossjobs.testsupport;

import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/**
 * The broker as its own process, for the local stack: {@code KafkaServerMain PORT LOG_DIR}.
 * Prints {@code KAFKA READY <bootstrap>} once it accepts clients; stops cleanly on SIGTERM.
 */
public final class KafkaServerMain {
    public static void main(String[] args) throws Exception {
        if (args.length != 2) {
            System.err.println("usage: KafkaServerMain PORT LOG_DIR");
            System.exit(2);
        }
        KafkaBroker broker = new KafkaBroker(Integer.parseInt(args[0]), Path.of(args[1]), 4);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            broker.close();
            stopped.countDown();
        }));
        System.out.println("KAFKA READY " + broker.bootstrapServers());
        stopped.await();
    }

    private KafkaServerMain() { }
}

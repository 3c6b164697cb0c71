package io.crossjobs.controller.bootstrap;

import com.sun.net.httpserver.HttpServer;
import org.eclipse.microprofile.config.spi.ConfigSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The bootstrap settings against a JDK HTTP server on 127.0.0.1, without Quarkus. */
class BootstrapConfigSourceFactoryTest {
    private static final String TOKEN = "one-time-7f3a9c";
    private static final String SETTINGS = """
            # the keeper's answer
            kafka.bootstrap.servers=10.0.0.5:9092
            quarkus.datasource.password=s3cr=t
            crossjobs.controller.identity.id=controller-abc
            crossjobs.controller.identity.generation=4
            quarkus.http.port=18081
            """;

    private final List<String> authorizations = new CopyOnWriteArrayList<>();
    private final List<String> accepts = new CopyOnWriteArrayList<>();
    private HttpServer server;

    @AfterEach
    void stop() {
        if (server != null) server.stop(0);
    }

    @Test
    void withoutTheEnvironmentVariablesThereIsNoSource() {
        assertTrue(factory(Map.of()).source().isEmpty());
        assertFalse(factory(Map.of()).getConfigSources(null).iterator().hasNext());
    }

    @Test
    void oneVariableWithoutTheOtherIsAMistakeNamedAtOnce() {
        BootstrapException e = assertThrows(BootstrapException.class,
                () -> factory(Map.of(BootstrapConfigSourceFactory.URL_ENV, "http://127.0.0.1:1/x")).source());
        assertTrue(e.getMessage().contains("only CROSSJOBS_BOOTSTRAP_URL is set"), e.getMessage());
    }

    @Test
    void theSettingsAreFetchedOnceWithTheTokenAndSitAboveApplicationProperties() throws IOException {
        String url = serve(new int[]{200});

        ConfigSource source = factory(env(url)).source().orElseThrow();

        assertEquals(275, source.getOrdinal());
        assertEquals("10.0.0.5:9092", source.getValue("kafka.bootstrap.servers"));
        assertEquals("s3cr=t", source.getValue("quarkus.datasource.password"));
        assertEquals("4", source.getValue("crossjobs.controller.identity.generation"));
        assertEquals(5, source.getPropertyNames().size());
        assertEquals(List.of("Bearer " + TOKEN), authorizations);
        assertEquals(List.of("text/plain"), accepts);
        assertFalse(source.getName().contains(TOKEN), source.getName());

        // the configuration built again in this process: the used token is not presented a second time
        assertEquals("controller-abc", factory(env(url)).source().orElseThrow()
                .getValue("crossjobs.controller.identity.id"));
        assertEquals(1, authorizations.size());
    }

    @Test
    void aKeeperAnsweringFiveHundredsIsWaitedFor() throws IOException {
        String url = serve(new int[]{503, 502, 200});

        ConfigSource source = factory(env(url)).source().orElseThrow();

        assertEquals("18081", source.getValue("quarkus.http.port"));
        assertEquals(3, authorizations.size());
    }

    @Test
    void aKeeperThatIsNotThereIsWaitedForUntilPatienceRunsOut() throws IOException {
        String url = "http://127.0.0.1:" + freePort() + "/controller/bootstrap";
        BootstrapConfigSourceFactory factory = new BootstrapConfigSourceFactory(env(url)::get,
                new BootstrapClient(Duration.ofMillis(600), Duration.ofMillis(50)));

        BootstrapException e = assertThrows(BootstrapException.class, factory::source);

        assertTrue(e.getMessage().startsWith("no bootstrap settings from " + url), e.getMessage());
        assertTrue(e.getMessage().contains("cannot reach"), e.getMessage());
        assertFalse(e.getMessage().contains(TOKEN), e.getMessage());
    }

    @Test
    void aRefusedTokenFailsAtOnceNamingTheUrlNotTheToken() throws IOException {
        for (int status : new int[]{401, 403, 404, 410}) {
            authorizations.clear();
            String url = serve(new int[]{status, 200});

            BootstrapException e = assertThrows(BootstrapException.class, () -> factory(env(url)).source());

            assertEquals("the bootstrap token was refused (used or expired): " + url + " answered " + status,
                    e.getMessage());
            assertEquals(1, authorizations.size(), "not retried");
            server.stop(0);
        }
    }

    private static BootstrapConfigSourceFactory factory(Map<String, String> env) {
        return new BootstrapConfigSourceFactory(env::get, new BootstrapClient(Duration.ofSeconds(10),
                Duration.ofMillis(20)));
    }

    private static Map<String, String> env(String url) {
        return Map.of(BootstrapConfigSourceFactory.URL_ENV, url, BootstrapConfigSourceFactory.TOKEN_ENV, TOKEN);
    }

    /**
     * Answers the statuses in turn (the last one from then on), with the settings on 200. A path of its own: the
     * factory keeps what it fetched per URL for the life of the JVM.
     */
    private String serve(int[] statuses) throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        AtomicInteger calls = new AtomicInteger();
        String path = "/controller/bootstrap/" + UUID.randomUUID();
        server.createContext(path, exchange -> {
            authorizations.add(exchange.getRequestHeaders().getFirst("Authorization"));
            accepts.add(exchange.getRequestHeaders().getFirst("Accept"));
            int status = statuses[Math.min(calls.getAndIncrement(), statuses.length - 1)];
            byte[] body = (status == 200 ? SETTINGS : "status " + status).getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "text/plain; charset=utf-8");
            exchange.sendResponseHeaders(status, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 0, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}

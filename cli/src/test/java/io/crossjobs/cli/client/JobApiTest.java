package io.crossjobs.cli.client;

import io.crossjobs.cli.CliException;
import io.crossjobs.cli.config.Connection;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A server that closes a connection without answering: a read is sent once more, a write is not. */
class JobApiTest {
    private ServerSocket server;
    private final AtomicInteger requests = new AtomicInteger();
    private Thread acceptor;

    @BeforeEach
    void start() throws IOException {
        server = new ServerSocket(0);
        acceptor = new Thread(this::serve, "closing-server");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    @AfterEach
    void stop() throws IOException {
        server.close();
    }

    /** The first request of all is read and its connection closed unanswered; every later one is answered. */
    private void serve() {
        while (!server.isClosed()) {
            try (Socket s = server.accept()) {
                BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8));
                for (String line = in.readLine(); line != null && !line.isEmpty(); line = in.readLine()) { }
                if (requests.incrementAndGet() == 1) continue;
                byte[] body = "{\"id\":\"7\",\"status\":\"RUNNING\"}".getBytes(StandardCharsets.UTF_8);
                OutputStream out = s.getOutputStream();
                out.write(("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: " + body.length
                        + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.UTF_8));
                out.write(body);
                out.flush();
            } catch (IOException e) {
                // closed by the test's end
            }
        }
    }

    private JobApi api() {
        return new JobApi(new Connection(URI.create("http://127.0.0.1:" + server.getLocalPort()), "test",
                Optional.of("t0k"), "test", Optional.empty()));
    }

    @Test
    void aReadWhoseConnectionClosedUnansweredIsSentOnceMore() {
        assertEquals("RUNNING", api().job("7").path("status").asText());
        assertEquals(2, requests.get());
    }

    @Test
    void aWriteIsNotSentAgain() {
        CliException e = assertThrows(CliException.class,
                () -> api().submit("{}".getBytes(StandardCharsets.UTF_8), "application/json"));
        assertTrue(e.getMessage().contains("failed"), e.getMessage());
        assertEquals(1, requests.get());
    }
}

package io.crossjobs.cli.upload;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.crossjobs.cli.CliException;
import io.crossjobs.cli.client.JobApi;
import io.crossjobs.cli.config.Connection;
import io.crossjobs.cli.pack.Packer;
import io.crossjobs.cli.task.LocalSource;
import io.crossjobs.cli.task.SourceRef;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Packing then HEAD/PUT against a small server that keeps uploads as job-api's archive endpoints do. */
class SourceStagingTest {
    private static final long GIB = 1L << 30;

    /** job-api's /archives/{digest}: HEAD 200/404, PUT 201 (200 when held), 400 on a wrong digest, 413 over its limit. */
    static final class FakeArchives implements AutoCloseable {
        record Request(String method, String path, String authorization, String contentType, byte[] body) { }

        final Map<String, byte[]> held = new ConcurrentHashMap<>();
        final List<Request> requests = new CopyOnWriteArrayList<>();
        volatile long maxBytes = GIB;
        private final HttpServer server;

        FakeArchives() throws IOException {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            server.createContext("/archives/", this::handle);
            server.start();
        }

        private void handle(HttpExchange x) throws IOException {
            byte[] body = x.getRequestBody().readAllBytes();
            String path = x.getRequestURI().getRawPath();
            requests.add(new Request(x.getRequestMethod(), path, x.getRequestHeaders().getFirst("Authorization"),
                    x.getRequestHeaders().getFirst("Content-Type"), body));
            String digest = path.substring("/archives/".length());
            switch (x.getRequestMethod()) {
                case "HEAD" -> {
                    x.sendResponseHeaders(held.containsKey(digest) ? 200 : 404, -1);
                    x.close();
                }
                case "PUT" -> {
                    if (body.length > maxBytes) {
                        answer(x, 413, "{\"title\":\"The archive is over job-api's limit of " + maxBytes + " bytes\",\"status\":413}");
                    } else if (!digest.equals(sha256(body))) {
                        answer(x, 400, "{\"title\":\"the bytes do not hash to " + digest + "\",\"status\":400}");
                    } else {
                        int status = held.putIfAbsent(digest, body) == null ? 201 : 200;
                        answer(x, status, "{\"digest\":\"" + digest + "\",\"bytes\":" + body.length + "}");
                    }
                }
                default -> answer(x, 405, "{}");
            }
        }

        private static void answer(HttpExchange x, int status, String json) throws IOException {
            byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
            x.getResponseHeaders().set("Content-Type", status >= 400 ? "application/problem+json" : "application/json");
            x.sendResponseHeaders(status, bytes.length);
            try (OutputStream out = x.getResponseBody()) {
                out.write(bytes);
            }
        }

        List<String> calls() {
            return requests.stream().map(r -> r.method() + " " + r.path()).toList();
        }

        URI url() { return URI.create("http://127.0.0.1:" + server.getAddress().getPort()); }

        @Override
        public void close() { server.stop(0); }
    }

    @TempDir
    Path tmp;

    private FakeArchives server;
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();
    private Path cwd;
    private Path home;

    @BeforeEach
    void start() throws Exception {
        server = new FakeArchives();
        cwd = Files.createDirectories(tmp.resolve("project"));
        home = Files.createDirectories(tmp.resolve("home"));
        Files.writeString(Files.createDirectories(cwd.resolve("src")).resolve("main.py"), "print(1)\n");
        Files.writeString(Files.createDirectories(home.resolve("datasets")).resolve("rows.csv"), "a,b\n1,2\n");
        Files.writeString(home.resolve(".vimrc"), "set nu\n");
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private Map<LocalSource, SourceRef> stage(long maxBytes, LocalSource... sources) {
        JobApi api = new JobApi(new Connection(server.url(), "test", Optional.of("t0k"), "test", Optional.empty()));
        try (Packer packer = new Packer(maxBytes, tmp.resolve("archives"))) {
            return new SourceStaging(packer, new Uploader(api, new PrintWriter(out, true)), new PrintWriter(err, true))
                    .stage(List.of(sources), cwd, home);
        }
    }

    private static final LocalSource WORKDIR = new LocalSource(0, null, "src", false);
    private static final LocalSource DATA = new LocalSource(0, "/data", "~/datasets", false);
    private static final LocalSource VIMRC = new LocalSource(0, "~/.vimrc", "~/.vimrc", false);

    @Test
    void whatJobApiDoesNotHoldIsPutAndTheTaskNamesItsDigest() throws Exception {
        Map<LocalSource, SourceRef> refs = stage(GIB, WORKDIR, DATA, VIMRC);

        assertEquals("archive", refs.get(WORKDIR).field());
        assertEquals("archive", refs.get(DATA).field());
        assertEquals(new SourceRef("file", sha256("set nu\n".getBytes(StandardCharsets.UTF_8))), refs.get(VIMRC));
        String w = refs.get(WORKDIR).digest();
        String d = refs.get(DATA).digest();
        String v = refs.get(VIMRC).digest();
        assertEquals(List.of("HEAD /archives/" + w, "PUT /archives/" + w, "HEAD /archives/" + d, "PUT /archives/" + d,
                "HEAD /archives/" + v, "PUT /archives/" + v), server.calls());
        for (FakeArchives.Request r : server.requests) {
            assertEquals("Bearer t0k", r.authorization());
            if (r.method().equals("PUT")) assertEquals("application/octet-stream", r.contentType());
        }
        assertEquals(3, server.held.size(), "each PUT's bytes hashed to its digest");
        String[] lines = out.toString().split("\n");
        assertEquals(3, lines.length, out.toString());
        assertTrue(lines[0].matches("workdir " + cwd.resolve("src") + ": archive \\d+ B " + w.substring(0, 19) + " uploaded"),
                lines[0]);
        assertTrue(lines[1].startsWith("file_mounts./data " + home.resolve("datasets") + ": archive "), lines[1]);
        assertEquals("file_mounts.~/.vimrc " + home.resolve(".vimrc") + ": file 7 B " + v.substring(0, 19) + " uploaded",
                lines[2]);
    }

    @Test
    void anUnchangedSourceIsNotSentAgain() {
        stage(GIB, WORKDIR, VIMRC);
        server.requests.clear();
        out.getBuffer().setLength(0);

        stage(GIB, WORKDIR, VIMRC);

        assertTrue(server.calls().stream().allMatch(c -> c.startsWith("HEAD ")), server.calls().toString());
        assertEquals(2, server.calls().size());
        assertTrue(out.toString().contains(" unchanged, not uploaded\n"), out.toString());
        assertEquals(2, out.toString().split(" unchanged, not uploaded\n").length);
    }

    @Test
    void theSameFolderTwiceIsSentOnce() {
        LocalSource mountOfWorkdir = new LocalSource(0, "/code", "./src/../src", false);

        Map<LocalSource, SourceRef> refs = stage(GIB, WORKDIR, mountOfWorkdir);

        assertEquals(refs.get(WORKDIR), refs.get(mountOfWorkdir));
        assertEquals(2, server.calls().size(), server.calls().toString());
        assertTrue(out.toString().contains("file_mounts./code " + cwd.resolve("src") + ": same archive as workdir, "
                + "not uploaded again"), out.toString());
    }

    @Test
    void aSourceOverTheLimitStopsTheLaunchBeforeAnythingIsSent() throws Exception {
        byte[] noise = new byte[64 * 1024];
        new java.util.Random(3).nextBytes(noise);
        Files.write(home.resolve("datasets/big.bin"), noise);

        CliException e = assertThrows(CliException.class, () -> stage(8 * 1024, WORKDIR, DATA));

        assertTrue(e.getMessage().startsWith("file_mounts./data: the archive of " + home.resolve("datasets")
                + " passes the upload limit of 8.0 KiB"), e.getMessage());
        assertTrue(e.getMessage().contains("largest files: big.bin (64.0 KiB), rows.csv (8 B)"), e.getMessage());
        assertEquals(List.of(), server.calls(), "the workdir before it was not uploaded either");
    }

    @Test
    void jobApisOwnLimitIsReportedWithItsWords() {
        server.maxBytes = 3;

        CliException e = assertThrows(CliException.class, () -> stage(GIB, VIMRC));

        assertEquals("uploading file_mounts.~/.vimrc (" + home.resolve(".vimrc") + ", 7 B): too large for job-api (413): "
                + "The archive is over job-api's limit of 3 bytes", e.getMessage());
    }

    @Test
    void aWorkdirThatIsAFileIsRefusedBeforeAnythingIsSent() {
        CliException e = assertThrows(CliException.class,
                () -> stage(GIB, new LocalSource(0, null, "~/.vimrc", false)));

        assertEquals("workdir: ~/.vimrc is a file; the workdir must be a folder", e.getMessage());
        assertEquals(List.of(), server.calls());
    }

    private static String sha256(byte[] bytes) {
        try {
            return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}

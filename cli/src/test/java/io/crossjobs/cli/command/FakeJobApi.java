package io.crossjobs.cli.command;

import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A tiny local HTTP server answering canned job-api responses by "METHOD path" (one answer, or several in turn),
 * recording every request.
 */
final class FakeJobApi implements AutoCloseable {
    record Answer(int status, String contentType, String body) { }

    record Request(String method, String pathAndQuery, String authorization, String contentType, String body) { }

    private final HttpServer server;
    private final Map<String, Answer> answers = new ConcurrentHashMap<>();
    private final Map<String, Deque<Answer>> inTurn = new ConcurrentHashMap<>();
    final List<Request> requests = new CopyOnWriteArrayList<>();

    FakeJobApi() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            String target = exchange.getRequestURI().getRawPath()
                    + (exchange.getRequestURI().getRawQuery() == null ? "" : "?" + exchange.getRequestURI().getRawQuery());
            requests.add(new Request(exchange.getRequestMethod(), target,
                    exchange.getRequestHeaders().getFirst("Authorization"),
                    exchange.getRequestHeaders().getFirst("Content-Type"),
                    new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8)));
            Answer a = next(exchange.getRequestMethod() + " " + target);
            if (a == null) a = next(exchange.getRequestMethod() + " " + exchange.getRequestURI().getRawPath());
            if (a == null) a = answers.getOrDefault(exchange.getRequestMethod() + " " + target,
                    answers.getOrDefault(exchange.getRequestMethod() + " " + exchange.getRequestURI().getRawPath(),
                            new Answer(404, "application/problem+json",
                                    "{\"title\":\"Not Found\",\"status\":404,\"detail\":\"no such thing\"}")));
            // a HEAD answer has no body
            byte[] bytes = exchange.getRequestMethod().equals("HEAD") ? new byte[0] : a.body().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", a.contentType());
            exchange.sendResponseHeaders(a.status(), bytes.length == 0 ? -1 : bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        });
        server.start();
    }

    FakeJobApi answer(String methodAndPath, int status, String body) {
        inTurn.remove(methodAndPath);
        answers.put(methodAndPath, new Answer(status, status >= 400 ? "application/problem+json"
                : body.startsWith("{") || body.startsWith("[") ? "application/json" : "text/plain", body));
        return this;
    }

    /**
     * Answers the requests to {@code methodAndPath} with {@code bodies} (status 200) in turn, the last one again and
     * again; ahead of {@link #answer}.
     */
    FakeJobApi answerInTurn(String methodAndPath, String... bodies) {
        Deque<Answer> queue = new ArrayDeque<>();
        for (String body : bodies) queue.add(new Answer(200, "application/json", body));
        inTurn.put(methodAndPath, queue);
        return this;
    }

    /** How many requests were made to {@code methodAndPath} (path and query as sent). */
    long count(String methodAndPath) {
        return requests.stream().filter(r -> (r.method() + " " + r.pathAndQuery()).equals(methodAndPath)).count();
    }

    private Answer next(String methodAndPath) {
        Deque<Answer> queue = inTurn.get(methodAndPath);
        if (queue == null) return null;
        synchronized (queue) {
            return queue.size() > 1 ? queue.poll() : queue.peek();
        }
    }

    String url() { return "http://127.0.0.1:" + server.getAddress().getPort(); }

    @Override
    public void close() { server.stop(0); }
}

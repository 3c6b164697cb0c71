package io.crossjobs.jobapi;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * A stand-in controller-service for the proxy calls: {@code GET /controller} and {@code GET /cost} answer
 * JSON, {@code POST /controller/migrate} answers 409 echoing the body, and a body containing "crash" makes
 * it drop the connection (an unreachable controller).
 */
public class FakeControllerResource implements QuarkusTestResourceLifecycleManager {
    private HttpServer server;

    @Override
    public Map<String, String> start() {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        server.createContext("/controller", exchange -> {
            if (exchange.getRequestURI().getPath().equals("/controller/migrate")) {
                String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
                if (body.contains("crash")) {
                    exchange.close();
                    return;
                }
                respond(exchange, 409, "{\"error\":\"migration in progress\",\"asked\":" + body + "}");
            } else {
                respond(exchange, 200, "{\"cloud\":\"aws\",\"region\":\"us-east-1\"}");
            }
        });
        server.createContext("/cost", exchange -> respond(exchange, 200, "{\"totalUsd\":1.25}"));
        server.start();
        return Map.of("jobapi.controller-url", "http://127.0.0.1:" + server.getAddress().getPort());
    }

    private static void respond(HttpExchange exchange, int status, String json) throws IOException {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }

    @Override
    public void stop() {
        if (server != null) server.stop(0);
    }
}

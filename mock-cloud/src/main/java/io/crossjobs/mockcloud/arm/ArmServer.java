package io.crossjobs.mockcloud.arm;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import io.crossjobs.mockcloud.MockCloudConfig;
import io.crossjobs.mockcloud.account.Accounts;
import io.crossjobs.mockcloud.quotas.QuotaGate;
import io.crossjobs.mockcloud.limits.ApiRateLimiter;
import io.crossjobs.mockcloud.sim.VmSimulator;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.net.PfxOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;

/**
 * The ARM front end's own HTTPS listener (the Azure SDK sends bearer tokens only over https). It is a second
 * Vert.x server on Quarkus' Vert.x, with a certificate generated at start, so the plain-http port keeps
 * serving EC2, GCE and the admin API unchanged. Requests run on worker threads: the simulator takes locks.
 */
@ApplicationScoped
public class ArmServer {
    private static final Logger LOG = Logger.getLogger(ArmServer.class);

    @Inject
    Vertx vertx;

    @Inject
    VmSimulator simulator;

    @Inject
    MockCloudConfig config;

    @Inject
    ArmConfig armConfig;

    @Inject
    ArmRulesConfig rulesConfig;

    @Inject
    ApiRateLimiter limits;

    @Inject
    Accounts accounts;

    @Inject
    QuotaGate quotas;

    private volatile ArmApi api;
    private volatile HttpServer server;
    private volatile ArmCertificate certificate;
    private Path tempDir;

    void start(@Observes StartupEvent event) {
        certificate = ArmCertificate.generate(certificateDir(), armConfig.extraHostNames().orElse(List.of()));
        api = new ArmApi(simulator, armConfig.pageSize(), ArmRules.of(rulesConfig), limits, accounts, quotas);
        Router router = Router.router(vertx);
        router.route().handler(BodyHandler.create().setBodyLimit(4 * 1024 * 1024));
        router.route().blockingHandler(this::serve, false);
        HttpServerOptions options = new HttpServerOptions().setSsl(true).setHost(armConfig.host())
                .setPort(armConfig.httpsPort())
                .setKeyCertOptions(new PfxOptions().setPath(certificate.keyStore().toString())
                        .setPassword(certificate.password()));
        try {
            server = vertx.createHttpServer(options).requestHandler(router).listen()
                    .toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("cannot listen for ARM on https port " + armConfig.httpsPort(), e);
        }
        LOG.infof("ARM API on https://%s:%d/ (trust %s)", armConfig.host(), server.actualPort(),
                certificate.certificatePem());
    }

    void stop(@Observes ShutdownEvent event) {
        if (server != null) {
            try {
                server.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
            } catch (Exception e) {
                LOG.debug("ARM listener did not close cleanly", e);
            }
        }
        if (tempDir != null) deleteQuietly(tempDir);
    }

    /** The port actually bound (differs from the configured one when that is 0). */
    public int port() {
        return server.actualPort();
    }

    public ArmCertificate certificate() {
        return certificate;
    }

    public ArmApi api() {
        return api;
    }

    private void serve(RoutingContext ctx) {
        var req = ctx.request();
        Map<String, String> query = new HashMap<>();
        ctx.queryParams().forEach(e -> query.putIfAbsent(e.getKey(), e.getValue()));
        String host = req.getHeader("Host") == null ? "127.0.0.1:" + port() : req.getHeader("Host");
        String body = ctx.body() == null || ctx.body().buffer() == null ? "" : ctx.body().asString();
        ArmResponse r;
        try {
            r = api.handle(req.method().name(), req.path(), query, req.getHeader("Range"), body,
                    "https://" + host + "/");
        } catch (RuntimeException e) {
            LOG.error("ARM request failed: " + req.method() + " " + req.path(), e);
            r = ArmResponse.error(500, "InternalServerError", String.valueOf(e));
        }
        HttpServerResponse out = ctx.response().setStatusCode(r.status());
        r.headers().forEach(out::putHeader);
        out.putHeader("x-ms-request-id", java.util.UUID.randomUUID().toString());
        if (r.json() != null) {
            try {
                out.putHeader("Content-Type", "application/json; charset=utf-8")
                        .end(Buffer.buffer(ArmResponse.JSON.writeValueAsBytes(r.json())));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        } else if (r.bytes() != null) {
            out.end(Buffer.buffer(r.bytes()));
        } else {
            out.end();
        }
    }

    /** {@code <state-dir>/arm-tls}; without a state dir, a temp dir removed on shutdown. */
    private Path certificateDir() {
        if (config.stateDir().isPresent() && !config.stateDir().get().isBlank()) {
            return Path.of(config.stateDir().get()).toAbsolutePath().resolve("arm-tls");
        }
        try {
            tempDir = Files.createTempDirectory("mock-cloud-arm-");
            return tempDir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void deleteQuietly(Path dir) {
        try (var files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            LOG.debug("cannot delete " + dir, e);
        }
    }
}

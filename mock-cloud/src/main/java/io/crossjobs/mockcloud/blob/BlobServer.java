package io.crossjobs.mockcloud.blob;

import io.crossjobs.mockcloud.objects.QueryStrings;

import io.crossjobs.mockcloud.objects.ObjectDownload;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import io.crossjobs.mockcloud.account.Accounts;
import io.crossjobs.mockcloud.ec2.XmlWriter;
import io.crossjobs.mockcloud.sim.Cloud;
import io.crossjobs.mockcloud.objects.ObjectStore;
import io.crossjobs.mockcloud.objects.ObjectStoreException;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.file.OpenOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;

/**
 * The Blob Storage front end's own plain-http listener, path-style ({@code /<account>/<container>/<blob>}), as
 * Azure's local emulator is addressed. A listener of its own for the reasons the S3 one has: bodies stream to
 * files, Shared Key sees the raw path as sent, and the paths cannot collide with the main port's. Everything a
 * request is refused for without its body (authentication, a SAS's permission, an append's declared size) is
 * answered before the body is taken; requests run on worker threads and answers stream from the blob's file.
 */
@ApplicationScoped
public class BlobServer {
    private static final Logger LOG = Logger.getLogger(BlobServer.class);

    @Inject
    Vertx vertx;

    @Inject
    ObjectStore store;

    @Inject
    BlobConfig config;

    @Inject
    Accounts accounts;

    private volatile BlobApi api;
    private volatile HttpServer server;

    void start(@Observes StartupEvent event) {
        api = new BlobApi(store, config, Clock.systemUTC(), () -> accounts.credentialsRevoked(Cloud.AZURE));
        HttpServerOptions options = new HttpServerOptions().setHost(config.host()).setPort(config.port())
                .setHttp2ClearTextEnabled(false);
        try {
            server = vertx.createHttpServer(options).requestHandler(this::onRequest).listen()
                    .toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("cannot listen for Blob Storage on port " + config.port(), e);
        }
        LOG.infof("Azure Blob Storage API (path-style) on http://%s:%d/%s", config.host(), server.actualPort(),
                config.accountName());
    }

    void stop(@Observes ShutdownEvent event) {
        if (server == null) return;
        try {
            server.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            LOG.debug("Blob listener did not close cleanly", e);
        }
    }

    /** The port actually bound (differs from the configured one when that is 0). */
    public int port() {
        return server.actualPort();
    }

    private void onRequest(HttpServerRequest req) {
        req.pause();
        Map<String, String> headers = BlobRequest.headerMap();
        req.headers().forEach(h -> headers.merge(h.getKey(), h.getValue(), (a, b) -> a + "," + b));
        BlobRequest r = new BlobRequest(req.method().name(), req.path(), QueryStrings.parse(req.query()), headers,
                null, req.isSSL(), req.remoteAddress() == null ? null : req.remoteAddress().host());
        boolean hasBody = headers.containsKey("Transfer-Encoding")
                || (headers.containsKey("Content-Length") && !headers.get("Content-Length").trim().equals("0"));
        if (!hasBody) {
            req.endHandler(v -> dispatch(req, r, null));
            req.resume();
            return;
        }
        vertx.executeBlocking(() -> {
            api.admit(r);
            return null;
        }, false).onComplete(admitted -> {
            boolean expectsContinue = "100-continue".equalsIgnoreCase(headers.getOrDefault("Expect", "").trim());
            if (admitted.failed()) {
                refuseBody(req, r, admitted.cause(), expectsContinue);
                return;
            }
            if (expectsContinue) req.response().writeContinue();
            Path body = store.newStagingFile();
            vertx.fileSystem().open(body.toString(), new OpenOptions().setWrite(true).setCreate(true))
                    .compose(req::pipeTo)
                    .onComplete(ar -> {
                        if (ar.failed()) {
                            LOG.debugf("Blob request body not received: %s", ar.cause());
                            deleteQuietly(body);
                            req.connection().close();
                            return;
                        }
                        dispatch(req, r.withBody(body), body);
                    });
        });
    }

    /**
     * Answers a request refused before its body. A client that waits for {@code 100 Continue} (curl does for large
     * bodies) gets the answer at once and the connection closes without the body; one that sends the body anyway is
     * answered once the body has been read and thrown away, so that it reads the answer rather than a reset.
     */
    private void refuseBody(HttpServerRequest req, BlobRequest r, Throwable cause, boolean expectsContinue) {
        if (expectsContinue) {
            req.response().putHeader("Connection", "close").endHandler(v -> req.connection().close());
            fail(req, r, cause);
            return;
        }
        req.handler(ignored -> { });
        req.endHandler(v -> fail(req, r, cause));
        req.resume();
    }

    private void dispatch(HttpServerRequest req, BlobRequest r, Path body) {
        vertx.executeBlocking(() -> {
            try {
                respond(req, api.handle(r));
            } catch (RuntimeException e) {
                fail(req, r, e);
            } finally {
                if (body != null) deleteQuietly(body);
            }
            return null;
        }, false);
    }

    private void fail(HttpServerRequest req, BlobRequest r, Throwable e) {
        BlobError error;
        if (e instanceof BlobError b) {
            error = b;
        } else if (e instanceof ObjectStoreException s && s.reason() == ObjectStoreException.Reason.NO_SUCH_BUCKET) {
            error = BlobError.containerNotFound();
        } else {
            LOG.error("Blob request failed: " + r.method() + " " + r.rawPath(), e);
            error = new BlobError(500, "InternalError", "The server encountered an internal error. Please retry the "
                    + "request.");
        }
        writeError(req, r, error);
    }

    private void respond(HttpServerRequest req, BlobResponse r) {
        HttpServerResponse out = req.response().setStatusCode(r.status());
        r.headers().forEach(out::putHeader);
        common(out);
        if (r.reader() == null) {
            if (r.body() == null) {
                out.putHeader("Content-Length", String.valueOf(r.length())).end();
            } else {
                out.end(Buffer.buffer(r.body()));
            }
            return;
        }
        ObjectDownload.stream(req, out, r.reader(), r.offset(), r.length(), "Blob");
    }


    /** Blob Storage's error: {@code x-ms-error-code} and, except for HEAD, the XML body with the request id. */
    private void writeError(HttpServerRequest req, BlobRequest r, BlobError e) {
        String id = UUID.randomUUID().toString();
        HttpServerResponse out = req.response().setStatusCode(e.status()).putHeader("x-ms-request-id", id)
                .putHeader("x-ms-error-code", e.code()).putHeader("Date", BlobApi.httpDate(Instant.now()));
        if (r.version() != null) out.putHeader("x-ms-version", r.version());
        e.headers().forEach(out::putHeader);
        if (req.method() == HttpMethod.HEAD) {
            out.end();
            return;
        }
        XmlWriter w = new XmlWriter().open("Error").leaf("Code", e.code())
                .leaf("Message", e.getMessage() + "\nRequestId:" + id + "\nTime:" + Instant.now());
        e.details().forEach(w::leaf);
        out.putHeader("Content-Type", "application/xml").end(w.close("Error").toString());
    }

    private static void common(HttpServerResponse out) {
        out.putHeader("x-ms-request-id", UUID.randomUUID().toString())
                .putHeader("Date", BlobApi.httpDate(Instant.now()));
    }

    private static void deleteQuietly(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException ignored) {
            // a stray staging file costs disk only
        }
    }
}

package io.crossjobs.mockcloud.s3;

import io.crossjobs.mockcloud.objects.QueryStrings;

import io.crossjobs.mockcloud.objects.ObjectDownload;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import io.crossjobs.mockcloud.MockCloudConfig;
import io.crossjobs.mockcloud.account.Accounts;
import io.crossjobs.mockcloud.sim.Cloud;
import io.crossjobs.mockcloud.objects.ObjectStore;
import io.crossjobs.mockcloud.objects.ObjectStoreException;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.file.OpenOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;

/**
 * The S3 front end's own plain-http listener (path-style requests at its root). A listener of its own, not a path
 * of the main port: bodies of up to 5 GiB stream to files (the main port's JAX-RS stack buffers bodies and caps
 * them), SigV4 sees the raw path and query exactly as sent, and {@code /bucket} paths cannot collide with EC2's
 * {@code POST /} or the admin API. Requests run on worker threads; answers stream from the object's file.
 */
@ApplicationScoped
public class S3Server {
    private static final Logger LOG = Logger.getLogger(S3Server.class);

    @Inject
    Vertx vertx;

    @Inject
    ObjectStore store;

    @Inject
    S3Config s3Config;

    @Inject
    MockCloudConfig config;

    @Inject
    Accounts accounts;

    private volatile S3Api api;
    private volatile HttpServer server;

    void start(@Observes StartupEvent event) {
        api = new S3Api(store, s3Config, config.aws().accountId(), Clock.systemUTC(), () -> accounts.of(Cloud.AWS));
        HttpServerOptions options = new HttpServerOptions().setHost(s3Config.host()).setPort(s3Config.port())
                // a POST policy form's fields (the policy itself is base64 JSON) before the file part
                .setMaxFormAttributeSize(64 * 1024)
                // S3 speaks HTTP/1.1 only; an h2c upgrade would also turn the signed Host header into :authority
                .setHttp2ClearTextEnabled(false);
        try {
            server = vertx.createHttpServer(options).requestHandler(this::onRequest).listen()
                    .toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("cannot listen for S3 on port " + s3Config.port(), e);
        }
        LOG.infof("S3 API (path-style) on http://%s:%d/", s3Config.host(), server.actualPort());
    }

    void stop(@Observes ShutdownEvent event) {
        if (server == null) return;
        try {
            server.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            LOG.debug("S3 listener did not close cleanly", e);
        }
    }

    /** The port actually bound (differs from the configured one when that is 0). */
    public int port() {
        return server.actualPort();
    }

    private void onRequest(HttpServerRequest req) {
        req.pause();
        Map<String, String> headers = S3Request.headerMap();
        req.headers().forEach(h -> headers.merge(h.getKey(), h.getValue(), (a, b) -> a + "," + b));
        String contentType = headers.getOrDefault("Content-Type", "");
        if (req.method() == HttpMethod.POST && contentType.toLowerCase().startsWith("multipart/form-data")) {
            acceptBody(req, headers);
            receiveForm(req, headers);
            return;
        }
        boolean hasBody = headers.containsKey("Transfer-Encoding")
                || (headers.containsKey("Content-Length") && !headers.get("Content-Length").trim().equals("0"));
        if (!hasBody) {
            req.endHandler(v -> dispatch(req, headers, null, null, null, List.of()));
            req.resume();
            return;
        }
        Optional<S3Error> refused = api.refuseBeforeBody(req.method().name(), headers);
        if (refused.isPresent()) {
            // answered without taking the upload; the connection closes rather than draining the body
            req.response().putHeader("Connection", "close");
            writeError(req, refused.get());
            return;
        }
        acceptBody(req, headers);
        Path body = store.newStagingFile();
        vertx.fileSystem().open(body.toString(), new OpenOptions().setWrite(true).setCreate(true))
                .compose(file -> req.pipeTo(file))
                .onComplete(ar -> {
                    if (ar.failed()) {
                        LOG.debugf("S3 request body not received: %s", ar.cause());
                        deleteQuietly(body);
                        req.connection().close();
                        return;
                    }
                    dispatch(req, headers, body, null, null, List.of(body));
                });
    }

    /**
     * {@code Expect: 100-continue} (the SDK sends it with PutObject and UploadPart) is answered only once the
     * request passed the checks made before the body, so a refused upload is not sent at all.
     */
    private static void acceptBody(HttpServerRequest req, Map<String, String> headers) {
        if ("100-continue".equalsIgnoreCase(headers.getOrDefault("Expect", "").trim())) req.response().writeContinue();
    }

    private void receiveForm(HttpServerRequest req, Map<String, String> headers) {
        req.setExpectMultipart(true);
        List<S3Request.FormFile> files = new ArrayList<>();
        List<Future<Void>> writes = new ArrayList<>();
        req.uploadHandler(upload -> {
            Path p = store.newStagingFile();
            files.add(new S3Request.FormFile(upload.name(), upload.filename(), upload.contentType(), p));
            writes.add(upload.streamToFileSystem(p.toString()));
        });
        req.endHandler(v -> Future.join(writes).onComplete(ar -> {
            Map<String, String> form = S3Request.headerMap();
            req.formAttributes().forEach(e -> form.putIfAbsent(e.getKey(), e.getValue()));
            List<Path> cleanup = files.stream().map(S3Request.FormFile::path).toList();
            if (ar.failed()) {
                cleanup.forEach(S3Server::deleteQuietly);
                req.connection().close();
                return;
            }
            S3Request.FormFile file = files.stream().filter(f -> f.fieldName().equalsIgnoreCase("file"))
                    .findFirst().orElse(null);
            dispatch(req, headers, null, form, file, cleanup);
        }));
        req.exceptionHandler(e -> LOG.debugf("S3 form upload failed: %s", e));
        req.resume();
    }

    private void dispatch(HttpServerRequest req, Map<String, String> headers, Path body, Map<String, String> form,
                          S3Request.FormFile file, List<Path> cleanup) {
        S3Request r = new S3Request(req.method().name(), req.path(), QueryStrings.parse(req.query()), headers,
                body, form, file);
        vertx.executeBlocking(() -> {
            try {
                respond(req, api.handle(r));
            } catch (S3Error e) {
                writeError(req, e);
            } catch (ObjectStoreException e) {
                writeError(req, fromStore(e, r));
            } catch (RuntimeException e) {
                LOG.error("S3 request failed: " + r.method() + " " + r.rawPath(), e);
                writeError(req, new S3Error(500, "InternalError", "We encountered an internal error. Please try "
                        + "again."));
            } finally {
                cleanup.forEach(S3Server::deleteQuietly);
            }
            return null;
        }, false);
    }

    private static S3Error fromStore(ObjectStoreException e, S3Request r) {
        S3Api.Target t = S3Api.target(r.rawPath());
        return switch (e.reason()) {
            case NO_SUCH_BUCKET -> S3Error.noSuchBucket(t.bucket());
            case NO_SUCH_OBJECT -> S3Error.noSuchKey(t.key());
            case KEY_TOO_LONG -> new S3Error(400, "KeyTooLongError", "Your key is too long");
            case TOO_LARGE -> new S3Error(400, "EntityTooLarge", "Your proposed upload exceeds the maximum allowed "
                    + "size");
            case BUCKET_NOT_EMPTY -> new S3Error(409, "BucketNotEmpty", "The bucket you tried to delete is not empty");
            default -> new S3Error(400, "InvalidRequest", e.getMessage());
        };
    }

    private void respond(HttpServerRequest req, S3Response r) {
        HttpServerResponse out = req.response().setStatusCode(r.status());
        r.headers().forEach(out::putHeader);
        out.putHeader("x-amz-request-id", requestId());
        boolean head = req.method() == HttpMethod.HEAD;
        if (r.reader() == null) {
            byte[] body = r.body() == null ? new byte[0] : r.body();
            if (head) {
                out.putHeader("Content-Length", String.valueOf(r.body() == null ? r.length() : body.length)).end();
            } else {
                out.end(Buffer.buffer(body));
            }
            return;
        }
        ObjectDownload.stream(req, out, r.reader(), r.offset(), r.length(), "S3");
    }


    private void writeError(HttpServerRequest req, S3Error e) {
        String id = requestId();
        HttpServerResponse out = req.response().setStatusCode(e.status()).putHeader("x-amz-request-id", id);
        e.headers().forEach(out::putHeader);
        if (req.method() == HttpMethod.HEAD) {
            out.end();
            return;
        }
        out.putHeader("Content-Type", "application/xml").end(S3Xml.error(e, req.path(), id));
    }

    private static String requestId() {
        return UUID.randomUUID().toString().replace("-", "").substring(0, 16).toUpperCase();
    }

    private static void deleteQuietly(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException ignored) {
            // a stray staging file costs disk only
        }
    }
}

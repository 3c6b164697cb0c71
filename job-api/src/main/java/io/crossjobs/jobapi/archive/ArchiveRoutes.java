package io.crossjobs.jobapi.archive;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.crossjobs.jobapi.model.FieldError;
import io.crossjobs.jobapi.model.Problem;
import io.crossjobs.jobapi.service.ApiTokens;
import io.crossjobs.jobapi.service.Caller;
import io.crossjobs.jobapi.service.FileMountsMapper;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * {@code HEAD /archives/{digest}} (held or not) and {@code PUT /archives/{digest}} (an upload, streamed to a temporary
 * file while it is hashed and counted, then stored in the object store). A plain Vert.x route rather than a REST
 * resource, so that an upload of up to {@code jobapi.archives.max-bytes} is never held in memory and the rest of the
 * API keeps its small body limit. Authenticated with the same bearer tokens as the rest of the API.
 */
@ApplicationScoped
public class ArchiveRoutes {
    private static final Logger LOG = Logger.getLogger(ArchiveRoutes.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    static final String PATH = "/archives/:digest";

    private final ApiTokens tokens;
    private final ArchiveRepository archives;
    private final ArchiveStore store;
    private final ArchiveConfig config;

    public ArchiveRoutes(ApiTokens tokens, ArchiveRepository archives, ArchiveStore store, ArchiveConfig config) {
        this.tokens = tokens;
        this.archives = archives;
        this.store = store;
        this.config = config;
    }

    void routes(@Observes Router router) {
        router.route(PATH).order(-100).handler(this::handle);
    }

    private void handle(RoutingContext ctx) {
        HttpServerRequest request = ctx.request();
        if (request.method() != HttpMethod.PUT && request.method() != HttpMethod.HEAD) {
            ctx.response().putHeader(HttpHeaders.ALLOW, "HEAD, PUT");
            problem(ctx, 405, "method-not-allowed", "Method Not Allowed", "use HEAD or PUT on /archives/{digest}", null);
            return;
        }
        request.pause();
        String header = request.getHeader(HttpHeaders.AUTHORIZATION);
        if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7) || header.substring(7).isBlank()) {
            ctx.response().putHeader("WWW-Authenticate", "Bearer");
            problem(ctx, 401, "unauthorized", "Unauthorized", "an API token is required: Authorization: Bearer <token>",
                    null);
            return;
        }
        tokens.authenticate(header.substring(7).trim()).subscribe().with(caller -> {
            if (caller == null) {
                ctx.response().putHeader("WWW-Authenticate", "Bearer");
                problem(ctx, 401, "unauthorized", "Unauthorized", "the API token is unknown or revoked", null);
            } else {
                authenticated(ctx, caller);
            }
        }, failure -> fail(ctx, failure));
    }

    private void authenticated(RoutingContext ctx, Caller caller) {
        String digest = ctx.pathParam("digest");
        if (digest == null || !FileMountsMapper.DIGEST.matcher(digest).matches()) {
            problem(ctx, 400, "invalid-input", "Invalid input", "the digest is not sha256: and 64 lowercase hex digits",
                    List.of(new FieldError("digest", "must be sha256: and 64 lowercase hex digits of the bytes")));
            return;
        }
        String length = ctx.request().getHeader(HttpHeaders.CONTENT_LENGTH);
        if (ctx.request().method() == HttpMethod.PUT && length != null && parse(length) > config.maxBytes()) {
            tooLarge(ctx);
            return;
        }
        archives.find(List.of(digest)).subscribe().with(found -> {
            if (ctx.request().method() == HttpMethod.HEAD) {
                ctx.response().setStatusCode(found.isEmpty() ? 404 : 200);
                if (!found.isEmpty()) ctx.response().putHeader("X-Archive-Bytes", Long.toString(found.get(0).bytes()));
                ctx.response().end();
            } else if (!found.isEmpty()) {
                ctx.request().resume();
                ctx.request().handler(ignored -> { }).endHandler(ignored -> answer(ctx, 200, found.get(0)));
            } else {
                receive(ctx, digest, caller);
            }
        }, failure -> fail(ctx, failure));
    }

    /** Streams the body to a temporary file, hashing and counting it; over the limit it stops at once with 413. */
    private void receive(RoutingContext ctx, String digest, Caller caller) {
        Path file;
        OutputStream out;
        MessageDigest sha256;
        try {
            file = Files.createTempFile("crossjobs-upload-", ".part");
            out = Files.newOutputStream(file);
            sha256 = MessageDigest.getInstance("SHA-256");
        } catch (IOException | NoSuchAlgorithmException e) {
            fail(ctx, e);
            return;
        }
        long[] count = {0};
        boolean[] stopped = {false};
        HttpServerRequest request = ctx.request();
        request.handler(buffer -> {
            if (stopped[0]) return;
            byte[] bytes = buffer.getBytes();
            count[0] += bytes.length;
            if (count[0] > config.maxBytes()) {
                stopped[0] = true;
                discard(out, file);
                tooLarge(ctx);
                return;
            }
            sha256.update(bytes);
            try {
                out.write(bytes);
            } catch (IOException e) {
                stopped[0] = true;
                discard(out, file);
                fail(ctx, e);
            }
        });
        request.exceptionHandler(e -> {
            stopped[0] = true;
            discard(out, file);
        });
        request.endHandler(ignored -> {
            if (stopped[0]) return;
            try {
                out.close();
            } catch (IOException e) {
                discard(out, file);
                fail(ctx, e);
                return;
            }
            String got = "sha256:" + HexFormat.of().formatHex(sha256.digest());
            if (!got.equals(digest)) {
                discard(out, file);
                problem(ctx, 400, "invalid-input", "Invalid input", "the body's digest is " + got,
                        List.of(new FieldError("digest", "does not match the body, whose digest is " + got)));
                return;
            }
            long bytes = count[0];
            ctx.vertx().<Archive>executeBlocking(() -> {
                try {
                    Archive archive = new Archive(digest, bytes, store.objectUriOf(digest));
                    store.put(archive.objectUri(), file);
                    archives.insert(archive, caller.name(), Instant.now()).await().indefinitely();
                    return archive;
                } finally {
                    Files.deleteIfExists(file);
                }
            }, false).onSuccess(archive -> {
                LOG.infof("archive %s of %d bytes from %s stored as %s", digest, bytes, caller.name(),
                        archive.objectUri());
                answer(ctx, 201, archive);
            }).onFailure(e -> fail(ctx, e));
        });
        request.resume();
    }

    private void answer(RoutingContext ctx, int status, Archive archive) {
        if (ctx.response().ended()) return;
        ctx.response().setStatusCode(status).putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                .end(write(Map.of("digest", archive.digest(), "bytes", archive.bytes())));
    }

    /** Answers 413 and closes the connection, so that the client stops sending the rest of the body. */
    private void tooLarge(RoutingContext ctx) {
        if (ctx.response().ended()) return;
        ctx.response().putHeader(HttpHeaders.CONNECTION, "close");
        problem(ctx, 413, "body-too-large", "Payload Too Large", "an upload may have at most " + config.maxBytes()
                + " bytes (jobapi.archives.max-bytes); leave out what the job does not need (.skyignore)", null);
        ctx.request().connection().close();
    }

    private void fail(RoutingContext ctx, Throwable failure) {
        if (failure instanceof ArchiveStore.StoreUnavailableException) {
            problem(ctx, 503, "store-unavailable", "Service Unavailable", failure.getMessage(), null);
            return;
        }
        LOG.warnf(failure, "archive upload failed");
        problem(ctx, 500, "internal", "Internal Server Error", "the upload failed; try again", null);
    }

    private static void problem(RoutingContext ctx, int status, String type, String title, String detail,
                                List<FieldError> errors) {
        if (ctx.response().ended()) return;
        ctx.response().setStatusCode(status).putHeader(HttpHeaders.CONTENT_TYPE, Problem.MEDIA_TYPE)
                .end(write(new Problem("urn:crossjobs:problem:" + type, title, status, detail, ctx.request().path(),
                        errors)));
    }

    private static void discard(OutputStream out, Path file) {
        try {
            out.close();
            Files.deleteIfExists(file);
        } catch (IOException e) {
            LOG.debugf("could not remove %s: %s", file, e.getMessage());
        }
    }

    private static long parse(String length) {
        try {
            return Long.parseLong(length.trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static String write(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}

package io.crossjobs.mockcloud.gcs;

import io.crossjobs.mockcloud.objects.ObjectDownload;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.crossjobs.mockcloud.MockCloudConfig;
import io.crossjobs.mockcloud.account.Accounts;
import io.crossjobs.mockcloud.objects.ObjectLimits;
import io.crossjobs.mockcloud.objects.ObjectStore;
import io.crossjobs.mockcloud.objects.ObjectStoreException;
import io.crossjobs.mockcloud.sim.Cloud;
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
 * Cloud Storage on a plain-http listener of its own: the JSON API ({@code /storage/v1/...},
 * {@code /download/storage/v1/...}) and the XML API's form POST ({@code POST /<bucket>}), path-style. Its own port,
 * as S3's, so form uploads stream to files and {@code /<bucket>} paths cannot collide with the main port's. At
 * start it makes the service account key that V4 policies must be signed with.
 */
@ApplicationScoped
public class GcsServer {
    private static final Logger LOG = Logger.getLogger(GcsServer.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    Vertx vertx;

    @Inject
    ObjectStore store;

    @Inject
    GcsConfig gcsConfig;

    @Inject
    MockCloudConfig config;

    @Inject
    Accounts accounts;

    private volatile GcsJsonApi api;
    private volatile GcsFormUpload forms;
    private volatile GcsXmlPut puts;
    private volatile GcsServiceAccountKey key;
    private volatile GcsAccess access;
    private volatile HttpServer server;
    private Path tempDir;

    void start(@Observes StartupEvent event) {
        key = GcsServiceAccountKey.generate(keyDir(), gcsConfig.serviceAccount(), gcsConfig.project());
        store.limits(Cloud.GCP, new ObjectLimits(GcsNames.MAX_OBJECT_NAME_BYTES, GcsFormUpload.MAX_OBJECT_BYTES,
                GcsFormUpload.MAX_OBJECT_BYTES));
        api = new GcsJsonApi(store, Clock.systemUTC());
        GcsServiceAccountKey account = key;
        access = new GcsAccess(accounts, account.email());
        forms = new GcsFormUpload(store, access, new GcsPostPolicy.Settings(this::signingKey,
                Duration.ofSeconds(gcsConfig.maxSignatureValiditySeconds()),
                Duration.ofSeconds(gcsConfig.futureSkewSeconds())), Clock.systemUTC());
        puts = new GcsXmlPut(store, access, this::signingKey, Duration.ofSeconds(gcsConfig.maxSignatureValiditySeconds()));
        HttpServerOptions options = new HttpServerOptions().setHost(gcsConfig.host()).setPort(gcsConfig.port())
                // the policy (base64 JSON) and the other form fields before the file part
                .setMaxFormAttributeSize(64 * 1024);
        try {
            server = vertx.createHttpServer(options).requestHandler(this::onRequest).listen()
                    .toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("cannot listen for Cloud Storage on port " + gcsConfig.port(), e);
        }
        LOG.infof("Cloud Storage JSON API and form POST on http://%s:%d/, service account key %s", gcsConfig.host(),
                server.actualPort(), key.file());
    }

    void stop(@Observes ShutdownEvent event) {
        if (server != null) {
            try {
                server.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
            } catch (Exception e) {
                LOG.debug("Cloud Storage listener did not close cleanly", e);
            }
        }
        if (tempDir != null) deleteTree(tempDir);
    }

    /** The port actually bound (differs from the configured one when that is 0). */
    public int port() {
        return server.actualPort();
    }

    /** The service account whose key signs policies, and its JSON key file. */
    public GcsServiceAccountKey serviceAccountKey() {
        return key;
    }

    /** The verifying key of {@code email}: the mock's one account, unless its key is revoked. */
    private GcsServiceAccountKey signingKey(String email) {
        return email.equals(key.email()) && !access.revoked() ? key : null;
    }

    private void onRequest(HttpServerRequest req) {
        LOG.debugf("%s %s Range=%s", req.method(), req.uri(), req.getHeader("Range"));
        String contentType = String.valueOf(req.getHeader("Content-Type")).toLowerCase();
        if (req.method() == HttpMethod.POST && contentType.startsWith("multipart/form-data")) {
            receiveForm(req);
            return;
        }
        if (req.method() == HttpMethod.PUT && isXmlObject(segments(req.path()))) {
            receivePut(req);
            return;
        }
        req.bodyHandler(body -> vertx.executeBlocking(() -> {
            respond(req, () -> route(req, body));
            return null;
        }, false));
    }

    private void receiveForm(HttpServerRequest req) {
        req.setExpectMultipart(true);
        List<GcsFormUpload.FilePart> files = new ArrayList<>();
        List<Future<Void>> writes = new ArrayList<>();
        req.uploadHandler(upload -> {
            Path p = store.newStagingFile();
            if (upload.name().equalsIgnoreCase("file")) {
                files.add(new GcsFormUpload.FilePart(upload.filename(), upload.contentType(), p));
            } else {
                files.add(new GcsFormUpload.FilePart(null, null, p));   // a stray file part: deleted afterwards
            }
            writes.add(upload.streamToFileSystem(p.toString()));
        });
        req.exceptionHandler(e -> LOG.debugf("Cloud Storage form upload failed: %s", e));
        req.endHandler(v -> Future.join(writes).onComplete(ar -> {
            if (ar.failed()) {
                files.forEach(f -> deleteQuietly(f.path()));
                req.connection().close();
                return;
            }
            Map<String, String> form = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
            req.formAttributes().forEach(e -> form.putIfAbsent(e.getKey(), e.getValue()));
            GcsFormUpload.FilePart file = files.stream().filter(f -> f.fileName() != null).findFirst().orElse(null);
            String bucket = segments(req.path()).isEmpty() ? form.get("bucket") : segments(req.path()).get(0);
            vertx.executeBlocking(() -> {
                try {
                    respond(req, () -> forms.post(bucket, form, file));
                } finally {
                    files.forEach(f -> deleteQuietly(f.path()));
                }
                return null;
            }, false);
        }));
    }

    /** {@code /<bucket>/<object>}: the XML API's object paths, beside the JSON API's /storage, /upload, /download. */
    private static boolean isXmlObject(List<String> s) {
        return s.size() >= 2 && !s.get(0).equals("storage") && !s.get(0).equals("upload")
                && !s.get(0).equals("download");
    }

    /**
     * A signed PUT of the XML API: admitted or refused from its request line and headers alone (a refused upload
     * is answered at once and its connection closed, its body never read), then its body streamed to a staging
     * file and stored.
     */
    private void receivePut(HttpServerRequest req) {
        req.pause();
        List<String> s = segments(req.path());
        Map<String, String> params = new LinkedHashMap<>();
        req.params().forEach(e -> params.putIfAbsent(e.getKey(), e.getValue()));
        GcsXmlPut.Admitted admitted;
        try {
            admitted = puts.admit(signedRequest(req), params, s.get(0), String.join("/", s.subList(1, s.size())),
                    Clock.systemUTC().instant());
        } catch (GcsXmlError | GcsJsonError | ObjectStoreException e) {
            req.response().putHeader("Connection", "close");
            respond(req, () -> { throw e; });
            return;
        }
        if ("100-continue".equalsIgnoreCase(String.valueOf(req.getHeader("Expect")).trim())) {
            req.response().writeContinue();
        }
        Path body = store.newStagingFile();
        vertx.fileSystem().open(body.toString(), new OpenOptions().setWrite(true).setCreate(true))
                .compose(req::pipeTo)
                .onComplete(ar -> {
                    if (ar.failed()) {
                        LOG.debugf("Cloud Storage PUT body not received: %s", ar.cause());
                        deleteQuietly(body);
                        req.connection().close();
                        return;
                    }
                    vertx.executeBlocking(() -> {
                        try {
                            respond(req, () -> puts.store(admitted, body));
                        } finally {
                            deleteQuietly(body);
                        }
                        return null;
                    }, false);
                });
    }

    /** The request as a V4 signature covers it: method, raw path and query, headers by lower-case name. */
    private static GcsSignedUrl.Request signedRequest(HttpServerRequest req) {
        Map<String, String> headers = new LinkedHashMap<>();
        req.headers().forEach(h -> headers.putIfAbsent(h.getKey().toLowerCase(java.util.Locale.ROOT), h.getValue()));
        // HTTP/2 carries the host as :authority, not as a Host header
        if (!headers.containsKey("host") && req.authority() != null) headers.put("host", req.authority().toString());
        return new GcsSignedUrl.Request(req.method().name(), req.path(), req.query(), headers);
    }

    /** The JSON API's routes; anything else is 404 as Google answers an unknown path. */
    private GcsAnswer route(HttpServerRequest req, Buffer body) {
        List<String> s = segments(req.path());
        Map<String, String> params = new LinkedHashMap<>();
        req.params().forEach(e -> params.putIfAbsent(e.getKey(), e.getValue()));
        String host = req.getHeader("Host") == null ? "127.0.0.1:" + port() : req.getHeader("Host");
        HttpMethod m = req.method();
        boolean download = s.size() >= 1 && s.get(0).equals("download");
        List<String> p = download ? s.subList(1, s.size()) : s;
        boolean upload = s.size() >= 1 && s.get(0).equals("upload");
        if (upload) p = s.subList(1, s.size());
        if (p.size() >= 3 && p.get(0).equals("storage") && p.get(1).equals("v1") && p.get(2).equals("b")) {
            access.authenticate();      // a revoked credential: 401 before anything else
            if (upload) {
                if (p.size() == 5 && p.get(4).equals("o") && m == HttpMethod.POST) {
                    access.json("storage.objects.create", "object");
                    // replacing an object deletes its older version (cloud.google.com/storage/docs/access-control/iam-permissions)
                    String name = params.get("name");
                    if (name != null && api.exists(p.get(3), name)) access.json("storage.objects.delete", "object");
                    return api.insertObject(p.get(3), params, req.getHeader("Content-Type"),
                            bytes(body, req.getHeader("Content-Encoding")), host);
                }
            } else if (p.size() == 3 && m == HttpMethod.POST && !download) {
                access.json("storage.buckets.create", "bucket");
                return api.insertBucket(params.get("project"), json(body, req.getHeader("Content-Encoding")), host);
            } else if (p.size() == 4 && !download && (m == HttpMethod.GET || m == HttpMethod.DELETE)) {
                if (m == HttpMethod.GET) {
                    access.json("storage.buckets.get", "bucket");
                    return api.getBucket(p.get(3), host);
                }
                access.json("storage.buckets.delete", "bucket");
                return api.deleteBucket(p.get(3));
            } else if (p.size() == 5 && p.get(4).equals("o") && m == HttpMethod.GET && !download) {
                access.json("storage.objects.list", "bucket");
                return api.list(p.get(3), params, host);
            } else if (p.size() >= 6 && p.get(4).equals("o")) {
                String name = String.join("/", p.subList(5, p.size()));
                Long generation = generation(params.get("generation"));
                if (m == HttpMethod.GET) {
                    access.json("storage.objects.get", "object");
                    if (download || "media".equals(params.get("alt"))) {
                        return api.media(p.get(3), name, generation, req.getHeader("Range"));
                    }
                    return api.getObject(p.get(3), name, generation, host);
                }
                if (m == HttpMethod.DELETE && !download) {
                    access.json("storage.objects.delete", "object");
                    return api.deleteObject(p.get(3), name, generation);
                }
            }
            throw new GcsJsonError(404, "notFound", "Not Found");
        }
        if (s.size() >= 2 && !download && !upload && (m == HttpMethod.GET || m == HttpMethod.DELETE)) {
            return xmlObject(req, s, params);
        }
        throw new GcsJsonError(404, "notFound", "Not Found");
    }

    /**
     * {@code GET|DELETE /<bucket>/<object>} of the XML API: only with a V4 signed URL (the bucket is private: an
     * anonymous request is 403 AccessDenied), verified in full, then as its signer's permission allows.
     */
    private GcsAnswer xmlObject(HttpServerRequest req, List<String> s, Map<String, String> params) {
        boolean delete = req.method() == HttpMethod.DELETE;
        String permission = delete ? "storage.objects.delete" : "storage.objects.get";
        if (!GcsSignedUrl.isSigned(params)) {
            throw new GcsXmlError(403, "AccessDenied", "Access denied.", "Anonymous caller does not have "
                    + permission + " access to the Google Cloud Storage object.");
        }
        GcsSignedUrl.verify(signedRequest(req), params,
                this::signingKey, Duration.ofSeconds(gcsConfig.maxSignatureValiditySeconds()), Clock.systemUTC().instant());
        access.signed(permission);
        return api.xmlObject(delete, s.get(0), String.join("/", s.subList(1, s.size())), req.getHeader("Range"));
    }

    private void respond(HttpServerRequest req, java.util.function.Supplier<GcsAnswer> call) {
        GcsAnswer answer;
        try {
            answer = call.get();
        } catch (GcsJsonError e) {
            answer = GcsAnswer.json(e.status(), e.toJson());
        } catch (GcsXmlError e) {
            answer = new GcsAnswer(e.status(), Map.of("Content-Type", "application/xml; charset=UTF-8"),
                    e.toXml().getBytes(StandardCharsets.UTF_8), null, 0, 0);
        } catch (ObjectStoreException e) {
            answer = fromStore(e);
        } catch (RuntimeException e) {
            LOG.error("Cloud Storage request failed: " + req.method() + " " + req.uri(), e);
            answer = GcsAnswer.json(500, new GcsJsonError(500, "backendError", "Backend Error").toJson());
        }
        write(req, answer);
    }

    private static GcsAnswer fromStore(ObjectStoreException e) {
        GcsJsonError error = switch (e.reason()) {
            case NO_SUCH_BUCKET -> GcsJsonError.notFound("The specified bucket does not exist.");
            case NO_SUCH_OBJECT -> GcsJsonError.notFound("Not Found");
            default -> GcsJsonError.invalid(e.getMessage());
        };
        return GcsAnswer.json(error.status(), error.toJson());
    }

    private void write(HttpServerRequest req, GcsAnswer a) {
        HttpServerResponse out = req.response().setStatusCode(a.status());
        a.headers().forEach(out::putHeader);
        if (a.reader() == null) {
            out.end(Buffer.buffer(a.body()));
            return;
        }
        ObjectDownload.stream(req, out, a.reader(), a.offset(), a.length(), "Cloud Storage");
    }


    /** The path's segments, each percent-decoded once (object names arrive with '/' as %2F). */
    static List<String> segments(String rawPath) {
        List<String> out = new ArrayList<>();
        for (String s : rawPath.split("/")) {
            if (!s.isEmpty()) out.add(java.net.URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8));
        }
        return out;
    }

    private static Long generation(String text) {
        if (text == null || text.isEmpty()) return null;
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException e) {
            throw GcsJsonError.invalid("Invalid value for generation: " + text);
        }
    }

    /** A request body's bytes, gunzipped when the client gzipped it ({@code Content-Encoding: gzip}). */
    private static byte[] bytes(Buffer body, String contentEncoding) {
        if (body == null) return new byte[0];
        if (!"gzip".equalsIgnoreCase(String.valueOf(contentEncoding).trim())) return body.getBytes();
        try (InputStream in = new java.util.zip.GZIPInputStream(new java.io.ByteArrayInputStream(body.getBytes()))) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new GcsJsonError(400, "parseError", "Parse Error");
        }
    }

    /** A JSON request body; the Java client gzips its bodies ({@code Content-Encoding: gzip}). */
    private static JsonNode json(Buffer body, String contentEncoding) {
        if (body == null || body.length() == 0) return JSON.createObjectNode();
        try {
            if ("gzip".equalsIgnoreCase(String.valueOf(contentEncoding).trim())) {
                try (InputStream in = new java.util.zip.GZIPInputStream(new java.io.ByteArrayInputStream(body.getBytes()))) {
                    return JSON.readTree(in);
                }
            }
            return JSON.readTree(body.getBytes());
        } catch (IOException e) {
            throw new GcsJsonError(400, "parseError", "Parse Error");
        }
    }

    /** {@code <state-dir>/gcs}; without a state dir, a temp dir removed on shutdown. */
    private Path keyDir() {
        if (config.stateDir().isPresent() && !config.stateDir().get().isBlank()) {
            return Path.of(config.stateDir().get()).toAbsolutePath().resolve("gcs");
        }
        try {
            tempDir = Files.createTempDirectory("mock-cloud-gcs-");
            return tempDir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void deleteQuietly(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException ignored) {
            // a stray staging file costs disk only
        }
    }

    private static void deleteTree(Path dir) {
        try (var files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(GcsServer::deleteQuietly);
        } catch (IOException e) {
            LOG.debug("cannot delete " + dir, e);
        }
    }
}

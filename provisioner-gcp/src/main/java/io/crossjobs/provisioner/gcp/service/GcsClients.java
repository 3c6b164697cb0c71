package io.crossjobs.provisioner.gcp.service;

import com.google.api.gax.retrying.RetrySettings;
import com.google.auth.ServiceAccountSigner;
import com.google.auth.oauth2.GoogleCredentials;
import com.google.auth.oauth2.ServiceAccountCredentials;
import com.google.cloud.NoCredentials;
import com.google.cloud.storage.BlobInfo;
import com.google.cloud.storage.HttpMethod;
import com.google.cloud.storage.Storage;
import com.google.cloud.storage.StorageOptions;
import io.crossjobs.provisioner.gcp.config.GcpConfig;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.net.URL;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * The Cloud Storage client (JSON API over HTTP) and the signer of the nodes' upload policies and of signed URLs,
 * created on first use like {@link GceClients}. The signer holds the only credential involved; nodes get signed
 * policies and URLs, never it.
 */
@ApplicationScoped
public class GcsClients {
    static final String DEFAULT_ENDPOINT = "https://storage.googleapis.com";
    private final GcpConfig config;
    private Storage storage;
    private ServiceAccountSigner signer;

    public GcsClients(GcpConfig config) {
        this.config = config;
    }

    public synchronized Storage storage() {
        if (storage == null) {
            StorageOptions.Builder b = StorageOptions.http().setProjectId(config.project());
            config.storageEndpointOverride().ifPresent(e -> b.setHost(e).setCredentials(NoCredentials.getInstance()));
            RetrySettings.Builder retries = StorageOptions.getDefaultRetrySettings().toBuilder()
                    .setTotalTimeoutDuration(config.callTimeout());
            config.sdkMaxAttempts().ifPresent(retries::setMaxAttempts);
            storage = b.setRetrySettings(retries.build()).build().getService();
        }
        return storage;
    }

    /**
     * The configured key file's service account, else Application Default Credentials when they can sign (a key
     * file, or a VM's or impersonated service account signing through IAM's signBlob).
     */
    public synchronized ServiceAccountSigner signer() {
        if (signer == null) {
            try {
                GoogleCredentials credentials;
                if (config.signingCredentialsFile().isPresent()) {
                    try (InputStream in = Files.newInputStream(Path.of(config.signingCredentialsFile().get()))) {
                        credentials = ServiceAccountCredentials.fromStream(in);
                    }
                } else {
                    credentials = GoogleCredentials.getApplicationDefault();
                }
                if (!(credentials instanceof ServiceAccountSigner s)) {
                    throw new IOException("the credentials (" + credentials.getClass().getSimpleName() + ") cannot "
                            + "sign upload policies: use a service account (crossjobs.gcp.signing-credentials-file, or "
                            + "Application Default Credentials of a service account)");
                }
                signer = s;
            } catch (IOException e) {
                throw new UncheckedIOException("no credentials to sign the nodes' output uploads", e);
            }
        }
        return signer;
    }

    /** The XML API's base URL that signed requests and policies point at: mock-cloud's, else Google's. */
    public String xmlEndpoint() {
        return config.storageEndpointOverride().orElse(DEFAULT_ENDPOINT);
    }

    /**
     * A V4 signed URL of the XML API (GOOG4-RSA-SHA256 by {@link #signer()}, path-style, at {@link #xmlEndpoint()};
     * cloud.google.com/storage/docs/access-control/signed-urls) for one {@code method} of {@code blob}, valid for
     * {@code validity} cut to 1 s .. 7 days, V4's longest. Only the host is signed besides the URL, so the holder
     * adds no header.
     */
    public URL signUrl(BlobInfo blob, HttpMethod method, Duration validity) {
        long seconds = Math.max(1, Math.min(validity.toSeconds(), GcsUploadPolicy.MAX_VALIDITY.toSeconds()));
        return storage().signUrl(blob, seconds, TimeUnit.SECONDS, Storage.SignUrlOption.withV4Signature(),
                Storage.SignUrlOption.httpMethod(method), Storage.SignUrlOption.signWith(signer()),
                Storage.SignUrlOption.withPathStyle(), Storage.SignUrlOption.withHostName(xmlEndpoint()));
    }

    @PreDestroy
    public synchronized void close() throws Exception {
        if (storage != null) storage.close();
    }
}

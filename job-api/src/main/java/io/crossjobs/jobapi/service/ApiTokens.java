package io.crossjobs.jobapi.service;

import io.crossjobs.jobapi.config.AuthConfig;
import io.crossjobs.jobapi.model.ApiToken;
import io.crossjobs.jobapi.model.TokenView;
import io.crossjobs.jobapi.repository.ApiTokenRepository;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.quarkus.runtime.Startup;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;

/**
 * Bearer tokens: 32 random bytes (base64url, prefixed {@code cj_}), stored as their SHA-256 only. The
 * bootstrap admin token comes from configuration (or is generated and written to a file) and is compared
 * by hash in memory, so it works before any row exists.
 */
@Startup
@ApplicationScoped
public class ApiTokens {
    private static final Logger LOG = Logger.getLogger(ApiTokens.class);
    private static final SecureRandom RANDOM = new SecureRandom();

    private final ApiTokenRepository tokens;
    private final String bootstrapHash;
    private final String bootstrapUser;

    public ApiTokens(ApiTokenRepository tokens, AuthConfig config) {
        this.tokens = tokens;
        this.bootstrapUser = config.bootstrapAdminUser();
        String bootstrap = config.bootstrapAdminToken().filter(t -> !t.isBlank()).orElse(null);
        if (bootstrap == null) {
            bootstrap = newToken();
            if (config.bootstrapTokenFile().isPresent()) {
                write(Path.of(config.bootstrapTokenFile().get()), bootstrap);
                LOG.infof("generated a bootstrap admin token for user=%s, written to %s", bootstrapUser,
                        config.bootstrapTokenFile().get());
            } else {
                LOG.warnf("generated a bootstrap admin token for user=%s (not shown); set "
                        + "jobapi.auth.bootstrap-admin-token or jobapi.auth.bootstrap-token-file to use one",
                        bootstrapUser);
            }
        }
        this.bootstrapHash = hash(bootstrap);
    }

    /**
     * The caller a bearer token stands for, or null when it is unknown or revoked. The bootstrap token is known
     * without a database session: it is on every request of an admin's scripts.
     */
    public Uni<Caller> authenticate(String token) {
        String hash = hash(token);
        if (MessageDigest.isEqual(hash.getBytes(StandardCharsets.US_ASCII),
                bootstrapHash.getBytes(StandardCharsets.US_ASCII))) {
            return Uni.createFrom().item(new Caller(bootstrapUser, true));
        }
        return Panache.withSession(() -> tokens.findActiveByHash(hash))
                .map(t -> t == null ? null : new Caller(t.userName, t.admin));
    }

    /** A new token for {@code user}; its value is in this answer only. */
    @WithTransaction
    public Uni<TokenView> create(String user, boolean admin, Caller by) {
        String token = newToken();
        ApiToken row = new ApiToken();
        row.userName = user;
        row.admin = admin;
        row.tokenHash = hash(token);
        row.createdAt = Instant.now().truncatedTo(ChronoUnit.MICROS);
        return tokens.persist(row)
                .invoke(t -> LOG.infof("token=%d created user=%s admin=%s by=%s", t.id, user, admin, by.name()))
                .map(t -> TokenView.of(t, token));
    }

    @WithSession
    public Uni<List<TokenView>> list() {
        return tokens.listAll().map(rows -> rows.stream().map(t -> TokenView.of(t, null)).toList());
    }

    /** Revokes the token; false when there was no such active token. */
    @WithTransaction
    public Uni<Boolean> revoke(long id, Caller by) {
        return tokens.revoke(id, Instant.now().truncatedTo(ChronoUnit.MICROS))
                .invoke(n -> { if (n == 1) LOG.infof("token=%d revoked by=%s", id, by.name()); })
                .map(n -> n == 1);
    }

    public static String newToken() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return "cj_" + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    public static String hash(String token) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(token.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }

    private static void write(Path file, String token) {
        try {
            if (file.getParent() != null) Files.createDirectories(file.getParent());
            Files.deleteIfExists(file);
            try {
                // created owner-only, so the token is never readable by others, not even for a moment
                Files.createFile(file,
                        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            } catch (UnsupportedOperationException e) {
                Files.createFile(file);
            }
            Files.writeString(file, token + "\n", StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the bootstrap admin token to " + file, e);
        }
    }
}

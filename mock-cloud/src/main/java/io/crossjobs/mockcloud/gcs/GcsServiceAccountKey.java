package io.crossjobs.mockcloud.gcs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.util.Base64;
import java.util.HexFormat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A service account key as IAM hands it out: an RSA key pair whose private half goes to the client in Google's
 * JSON key file format (what {@code ServiceAccountCredentials.fromStream} reads), while the service keeps the
 * public half to verify GOOG4-RSA-SHA256 signatures. Made fresh at every start, so a key file of an earlier run no
 * longer signs.
 */
public final class GcsServiceAccountKey {
    static final String FILE = "service-account.json";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final SecureRandom RANDOM = new SecureRandom();

    private final String email;
    private final PublicKey publicKey;
    private final Path file;

    private GcsServiceAccountKey(String email, PublicKey publicKey, Path file) {
        this.email = email;
        this.publicKey = publicKey;
        this.file = file;
    }

    /** A new 2048-bit key of {@code email}, its key file written to {@code dir} (readable by this user only). */
    public static GcsServiceAccountKey generate(Path dir, String email, String project) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            KeyPair pair = generator.generateKeyPair();
            String pem = "-----BEGIN PRIVATE KEY-----\n"
                    + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                    .encodeToString(pair.getPrivate().getEncoded())
                    + "\n-----END PRIVATE KEY-----\n";
            ObjectNode key = JSON.createObjectNode()
                    .put("type", "service_account")
                    .put("project_id", project)
                    .put("private_key_id", HexFormat.of().formatHex(randomBytes(20)))
                    .put("private_key", pem)
                    .put("client_email", email)
                    .put("client_id", new java.math.BigInteger(1, randomBytes(9)).toString())
                    .put("auth_uri", "https://accounts.google.com/o/oauth2/auth")
                    .put("token_uri", "https://oauth2.googleapis.com/token");
            Files.createDirectories(dir);
            Path file = dir.resolve(FILE);
            Files.deleteIfExists(file);
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(file, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(key));
            return new GcsServiceAccountKey(email, pair.getPublic(), file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the service account key under " + dir, e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot make an RSA key", e);
        }
    }

    private static byte[] randomBytes(int n) {
        byte[] b = new byte[n];
        RANDOM.nextBytes(b);
        return b;
    }

    /** For tests: the account with an existing public key and no file. */
    static GcsServiceAccountKey of(String email, PublicKey publicKey) {
        return new GcsServiceAccountKey(email, publicKey, null);
    }

    public String email() {
        return email;
    }

    /** The JSON key file, or null when the key was not written. */
    public Path file() {
        return file;
    }

    /** Whether {@code signature} is this account's RSA-SHA256 signature (PKCS #1 v1.5) of {@code data}. */
    boolean verifies(byte[] data, byte[] signature) {
        try {
            Signature rsa = Signature.getInstance("SHA256withRSA");
            rsa.initVerify(publicKey);
            rsa.update(data);
            return rsa.verify(signature);
        } catch (GeneralSecurityException e) {
            return false;
        }
    }
}

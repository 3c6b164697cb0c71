package io.crossjobs.stack;

import io.crossjobs.events.SecretSealer;
import io.crossjobs.testsupport.PrivateFiles;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * The local stack's own secrets, made on the first {@code up} and kept in the state directory (readable by
 * the owner only) so that later runs can still open sealed task secrets and the admin token stays valid.
 */
record LocalCredentials(String adminToken, String secretsKey) {

    static LocalCredentials loadOrCreate(Path stateDir) throws IOException {
        Files.createDirectories(stateDir);
        String token = readOrWrite(stateDir.resolve("admin-token"), () -> {
            byte[] b = new byte[24];
            new SecureRandom().nextBytes(b);
            return "cj_" + HexFormat.of().formatHex(b);
        });
        String key = readOrWrite(stateDir.resolve("secrets.key"), SecretSealer::newKey);
        return new LocalCredentials(token, key);
    }

    /**
     * The password of the local stack's own PostgreSQL, made on its first start: that server requires it of every
     * connection (test-support's Postgres), so a process of this machine without it is not let in.
     */
    static Path postgresPasswordFile(Path stateDir) throws IOException {
        Files.createDirectories(stateDir);
        Path file = stateDir.resolve("postgres-password");
        readOrWrite(file, () -> {
            byte[] b = new byte[24];
            new SecureRandom().nextBytes(b);
            return HexFormat.of().formatHex(b);
        });
        return file;
    }

    private static String readOrWrite(Path file, java.util.function.Supplier<String> create) throws IOException {
        if (Files.isRegularFile(file)) return Files.readString(file).trim();
        String value = create.get();
        PrivateFiles.write(file, value + "\n");
        return value;
    }
}

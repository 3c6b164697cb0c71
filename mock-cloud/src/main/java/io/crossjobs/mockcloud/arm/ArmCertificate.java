package io.crossjobs.mockcloud.arm;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A throw-away self-signed certificate for the ARM listener (SAN ip:127.0.0.1, dns:localhost), made with the
 * JDK's keytool so that no crypto library is needed. Written as PKCS12 (key + certificate) and as PEM
 * (certificate only) for clients to trust.
 */
public record ArmCertificate(Path keyStore, Path certificatePem, String password) {

    static final String FILE_P12 = "mock-cloud.p12";
    static final String FILE_PEM = "mock-cloud.pem";

    /** Makes a fresh certificate in {@code dir} (replacing an earlier one: a restart gets a new key). */
    public static ArmCertificate generate(Path dir) {
        try {
            Files.createDirectories(dir);
            Path p12 = dir.resolve(FILE_P12);
            Path pem = dir.resolve(FILE_PEM);
            Files.deleteIfExists(p12);
            Files.deleteIfExists(pem);
            String password = "mock-cloud";
            keytool(List.of("-genkeypair", "-alias", "arm", "-keyalg", "EC", "-groupname", "secp256r1",
                    "-dname", "CN=localhost", "-ext", "SAN=ip:127.0.0.1,dns:localhost", "-validity", "365",
                    "-storetype", "PKCS12", "-keystore", p12.toString(), "-storepass", password,
                    "-keypass", password));
            keytool(List.of("-exportcert", "-rfc", "-alias", "arm", "-keystore", p12.toString(),
                    "-storetype", "PKCS12", "-storepass", password, "-file", pem.toString()));
            return new ArmCertificate(p12, pem, password);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the ARM certificate under " + dir, e);
        }
    }

    private static void keytool(List<String> args) throws IOException {
        Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
        List<String> command = new java.util.ArrayList<>(List.of(keytool.toString()));
        command.addAll(args);
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        try {
            String output = new String(p.getInputStream().readAllBytes());
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IOException("keytool " + args.get(0) + " failed: " + output);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while running keytool", e);
        }
    }
}

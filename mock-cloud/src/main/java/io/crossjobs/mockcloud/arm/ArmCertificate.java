package io.crossjobs.mockcloud.arm;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * A throw-away self-signed certificate for the ARM listener (SAN ip:127.0.0.1, dns:localhost, plus any extra
 * host names, e.g. the service name clients use inside Docker Compose), made with the JDK's keytool so that no
 * crypto library is needed. Written as PKCS12 (key + certificate) and as PEM (certificate only) for clients to
 * trust.
 */
public record ArmCertificate(Path keyStore, Path certificatePem, String password) {

    static final String FILE_P12 = "mock-cloud.p12";
    static final String FILE_PEM = "mock-cloud.pem";

    private static final Pattern HOST_NAME =
            Pattern.compile("(?i)[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*");
    private static final Pattern IP_V4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
    private static final Pattern IP_V6 = Pattern.compile("(?i)[0-9a-f:]+");

    /** Makes a fresh certificate in {@code dir} (replacing an earlier one: a restart gets a new key). */
    public static ArmCertificate generate(Path dir) {
        return generate(dir, List.of());
    }

    /**
     * As {@link #generate(Path)}, valid also for {@code extraHostNames} (DNS names, or IP literals).
     *
     * @throws IllegalArgumentException for a name that is neither a host name nor an IP literal
     */
    public static ArmCertificate generate(Path dir, List<String> extraHostNames) {
        String san = subjectAlternativeNames(extraHostNames);
        try {
            Files.createDirectories(dir);
            Path p12 = dir.resolve(FILE_P12);
            Path pem = dir.resolve(FILE_PEM);
            Files.deleteIfExists(p12);
            Files.deleteIfExists(pem);
            String password = "mock-cloud";
            keytool(List.of("-genkeypair", "-alias", "arm", "-keyalg", "EC", "-groupname", "secp256r1",
                    "-dname", "CN=localhost", "-ext", san, "-validity", "365",
                    "-storetype", "PKCS12", "-keystore", p12.toString(), "-storepass", password,
                    "-keypass", password));
            keytool(List.of("-exportcert", "-rfc", "-alias", "arm", "-keystore", p12.toString(),
                    "-storetype", "PKCS12", "-storepass", password, "-file", pem.toString()));
            return new ArmCertificate(p12, pem, password);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the ARM certificate under " + dir, e);
        }
    }

    /** keytool's SAN extension value: the loopback names first, then each extra name once. */
    static String subjectAlternativeNames(List<String> extraHostNames) {
        Set<String> entries = new LinkedHashSet<>(List.of("ip:127.0.0.1", "dns:localhost"));
        for (String raw : extraHostNames) {
            String name = raw.trim();
            if (name.isEmpty()) continue;
            if (IP_V4.matcher(name).matches() || (name.contains(":") && IP_V6.matcher(name).matches())) {
                entries.add("ip:" + name);
            } else if (HOST_NAME.matcher(name).matches()) {
                entries.add("dns:" + name.toLowerCase(Locale.ROOT));
            } else {
                // keytool would fail later with a message that names neither the key nor the value
                throw new IllegalArgumentException("mock-cloud.arm.extra-host-names: '" + name
                        + "' is neither a host name nor an IP address");
            }
        }
        return "SAN=" + String.join(",", entries);
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

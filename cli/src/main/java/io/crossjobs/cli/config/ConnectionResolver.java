package io.crossjobs.cli.config;

import io.crossjobs.cli.CliContext;
import io.crossjobs.cli.CliException;

import java.io.IOException;
import java.io.Reader;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Properties;

/**
 * Flags, then environment ({@code CROSSJOBS_URL}, {@code CROSSJOBS_TOKEN}, {@code CROSSJOBS_USER}), then the
 * config file ({@code $CROSSJOBS_CONFIG} or {@code ~/.crossjobs/config}: {@code url=}, {@code token=},
 * {@code user=}), then the local stack of the checkout. The local stack's admin token is only ever sent to the
 * local stack's default URL, never to a server someone configured.
 */
public final class ConnectionResolver {
    /** job-api's bootstrap admin user when the stack does not set another (jobapi.auth.bootstrap-admin-user). */
    static final String LOCAL_ADMIN_USER = "admin";

    private final CliContext context;

    public ConnectionResolver(CliContext context) {
        this.context = context;
    }

    public Connection resolve(ConnectionOptions flags) {
        Path configFile = configFile();
        Properties file = readConfig(configFile);
        String fileName = configFile.toString();

        String url;
        String urlSource;
        if (present(flags.url())) {
            url = flags.url();
            urlSource = "--url";
        } else if (present(context.env().get("CROSSJOBS_URL"))) {
            url = context.env().get("CROSSJOBS_URL");
            urlSource = "CROSSJOBS_URL";
        } else if (present(file.getProperty("url"))) {
            url = file.getProperty("url");
            urlSource = "url in " + fileName;
        } else {
            url = "http://localhost:" + localPort();
            urlSource = "the local stack's default";
        }
        boolean localDefault = urlSource.equals("the local stack's default");

        Optional<String> token;
        String tokenSource;
        Optional<String> user = Optional.ofNullable(context.env().get("CROSSJOBS_USER")).filter(ConnectionResolver::present)
                .or(() -> Optional.ofNullable(file.getProperty("user")).filter(ConnectionResolver::present));
        if (present(flags.token())) {
            token = Optional.of(flags.token());
            tokenSource = "--token";
        } else if (present(context.env().get("CROSSJOBS_TOKEN"))) {
            token = Optional.of(context.env().get("CROSSJOBS_TOKEN"));
            tokenSource = "CROSSJOBS_TOKEN";
        } else if (present(file.getProperty("token"))) {
            token = Optional.of(file.getProperty("token"));
            tokenSource = "token in " + fileName;
        } else if (localDefault && localAdminToken().isPresent()) {
            token = localAdminToken();
            tokenSource = "the local stack's " + localStateDir().orElseThrow().resolve("admin-token");
            if (user.isEmpty()) user = Optional.of(LOCAL_ADMIN_USER);
        } else {
            token = Optional.empty();
            tokenSource = "nowhere";
        }
        return new Connection(parseUrl(url.trim(), urlSource), urlSource, token.map(String::trim), tokenSource, user);
    }

    private Path configFile() {
        String explicit = context.env().get("CROSSJOBS_CONFIG");
        return present(explicit) ? Path.of(explicit) : context.home().resolve(".crossjobs").resolve("config");
    }

    private static Properties readConfig(Path file) {
        Properties p = new Properties();
        if (!Files.isRegularFile(file)) return p;
        try (Reader r = Files.newBufferedReader(file)) {
            p.load(r);
        } catch (IOException | IllegalArgumentException e) {
            throw new CliException("cannot read the config file " + file + ": " + e.getMessage());
        }
        return p;
    }

    private int localPort() {
        String port = context.env().get("CROSSJOBS_JOB_API_PORT");
        if (!present(port)) return 8080;
        try {
            return Integer.parseInt(port.trim());
        } catch (NumberFormatException e) {
            throw new CliException("CROSSJOBS_JOB_API_PORT must be a port number, got '" + port + "'");
        }
    }

    private Optional<Path> localStateDir() {
        String explicit = context.env().get("CROSSJOBS_STATE_DIR");
        if (present(explicit)) return Optional.of(Path.of(explicit));
        return context.checkout().map(root -> root.resolve(".crossjobs"));
    }

    private Optional<String> localAdminToken() {
        Optional<Path> file = localStateDir().map(d -> d.resolve("admin-token")).filter(Files::isRegularFile);
        if (file.isEmpty()) return Optional.empty();
        try {
            return Optional.of(Files.readString(file.get()).trim()).filter(ConnectionResolver::present);
        } catch (IOException e) {
            throw new CliException("cannot read the local stack's token " + file.get() + ": " + e.getMessage());
        }
    }

    private static URI parseUrl(String url, String source) {
        try {
            URI uri = new URI(url.endsWith("/") ? url.substring(0, url.length() - 1) : url);
            if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null) {
                throw new URISyntaxException(url, "not an http(s) URL with a host");
            }
            return uri;
        } catch (URISyntaxException e) {
            throw new CliException("the server URL from " + source + " is not usable: '" + url
                    + "' (expected e.g. http://localhost:8080)");
        }
    }

    private static boolean present(String s) { return s != null && !s.isBlank(); }
}

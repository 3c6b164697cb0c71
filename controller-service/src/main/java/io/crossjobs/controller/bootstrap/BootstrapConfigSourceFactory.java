package io.crossjobs.controller.bootstrap;

import io.smallrye.config.ConfigSourceContext;
import io.smallrye.config.ConfigSourceFactory;
import io.smallrye.config.PropertiesConfigSource;
import org.eclipse.microprofile.config.spi.ConfigSource;
import org.jboss.logging.Logger;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.Function;

/**
 * The settings a controller VM gets from its keeper (job-api) at start: Kafka and PostgreSQL addresses and
 * credentials, its identity, its port, its log file. The VM's user-data script sets {@link #URL_ENV} and
 * {@link #TOKEN_ENV} (a one-time token); one GET of the URL becomes a config source of ordinal {@value #ORDINAL},
 * above application.properties and below env vars and system properties, so a value set on the VM itself still
 * wins. Without both variables (the build, tests, a process started by hand) it adds nothing.
 * Registered in {@code META-INF/services/io.smallrye.config.ConfigSourceFactory}; not static-init safe, so Quarkus
 * asks it at runtime only. Values are never logged, only names.
 */
public class BootstrapConfigSourceFactory implements ConfigSourceFactory {
    public static final String URL_ENV = "CROSSJOBS_BOOTSTRAP_URL";
    public static final String TOKEN_ENV = "CROSSJOBS_BOOTSTRAP_TOKEN";
    public static final int ORDINAL = 275;
    /** job-api restarts within this; a VM that waits longer has a keeper that is not coming back soon. */
    static final Duration PATIENCE = Duration.ofSeconds(60);
    private static final Logger LOG = Logger.getLogger(BootstrapConfigSourceFactory.class);
    /**
     * The token is good for one fetch: should the configuration be built again in this process, it gets the settings
     * already fetched instead of presenting a used token.
     */
    private static final ConcurrentMap<URI, Map<String, String>> FETCHED = new ConcurrentHashMap<>();

    private final Function<String, String> env;
    private final BootstrapClient client;

    public BootstrapConfigSourceFactory() {
        this(System::getenv, new BootstrapClient(PATIENCE, Duration.ofMillis(500)));
    }

    BootstrapConfigSourceFactory(Function<String, String> env, BootstrapClient client) {
        this.env = env;
        this.client = client;
    }

    @Override
    public Iterable<ConfigSource> getConfigSources(ConfigSourceContext context) {
        return source().map(List::of).orElse(List.of());
    }

    /** The fetched settings as a config source; empty when the environment names no bootstrap URL and token. */
    Optional<ConfigSource> source() {
        String url = blankToNull(env.apply(URL_ENV));
        String token = blankToNull(env.apply(TOKEN_ENV));
        if (url == null && token == null) return Optional.empty();
        if (url == null || token == null) {
            throw new BootstrapException("bootstrap: " + URL_ENV + " and " + TOKEN_ENV + " go together, but only "
                    + (url == null ? TOKEN_ENV : URL_ENV) + " is set", null);
        }
        URI uri = URI.create(url);
        Map<String, String> settings = FETCHED.computeIfAbsent(uri, u -> {
            Map<String, String> fetched = client.fetch(u, token);
            LOG.infof("bootstrap: %d settings from %s: %s", fetched.size(), u, fetched.keySet());
            return Map.copyOf(fetched);
        });
        return Optional.of(new PropertiesConfigSource(settings, "crossjobs bootstrap settings from " + uri, ORDINAL));
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.strip();
    }
}

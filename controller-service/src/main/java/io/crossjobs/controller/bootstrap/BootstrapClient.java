package io.crossjobs.controller.bootstrap;

import java.io.IOException;
import java.io.StringReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;

/**
 * One GET of the bootstrap URL with the one-time token, the answer read as {@link Properties} text. The keeper
 * (job-api) may be restarting while the VM boots: connection failures and 5xx are retried for {@code patience}.
 * A refused token is not retried (it is used or expired, and stays so); the token is never put in a message.
 */
public final class BootstrapClient {
    /** What job-api answers for a token it does not take: no retry can change that. */
    private static final Set<Integer> REFUSED = Set.of(401, 403, 404, 410);
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration MAX_PAUSE = Duration.ofSeconds(5);

    private final Duration patience;
    private final Duration firstPause;

    public BootstrapClient(Duration patience, Duration firstPause) {
        this.patience = patience;
        this.firstPause = firstPause;
    }

    /** The settings as name → value; fails with a {@link BootstrapException} once retrying is over or pointless. */
    public Map<String, String> fetch(URI url, String token) {
        // redirects are not followed: the token goes to the URL it was issued for, nowhere else
        HttpClient http = HttpClient.newBuilder().connectTimeout(CONNECT_TIMEOUT)
                .followRedirects(HttpClient.Redirect.NEVER).build();
        HttpRequest request = HttpRequest.newBuilder(url).timeout(REQUEST_TIMEOUT).GET()
                .header("Authorization", "Bearer " + token)
                .header("Accept", "text/plain")
                .build();
        long deadline = System.nanoTime() + patience.toNanos();
        Duration pause = firstPause;
        int attempts = 0;
        while (true) {
            attempts++;
            String failure;
            Exception cause = null;
            try {
                HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
                int status = response.statusCode();
                if (status == 200) return parse(response.body(), url);
                if (REFUSED.contains(status)) {
                    throw new BootstrapException("the bootstrap token was refused (used or expired): " + url
                            + " answered " + status, null);
                }
                if (status < 500) {
                    throw new BootstrapException("bootstrap settings: " + url + " answered " + status
                            + ", expected 200 with the settings", null);
                }
                failure = url + " answered " + status;
            } catch (IOException e) {
                failure = "cannot reach " + url + ": " + e;
                cause = e;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new BootstrapException("interrupted while fetching the bootstrap settings from " + url, e);
            }
            if (System.nanoTime() + pause.toNanos() > deadline) {
                throw new BootstrapException("no bootstrap settings from " + url + " after " + attempts
                        + " attempts in " + patience.toSeconds() + " s; last: " + failure, cause);
            }
            sleep(pause, url);
            pause = pause.multipliedBy(2).compareTo(MAX_PAUSE) > 0 ? MAX_PAUSE : pause.multipliedBy(2);
        }
    }

    /** Properties text ({@code name=value} lines, {@code #} comments), as application.properties is written. */
    static Map<String, String> parse(String body, URI url) {
        Properties properties = new Properties();
        try {
            properties.load(new StringReader(body));
        } catch (IOException | IllegalArgumentException e) {
            // the message of a malformed escape may quote the text: say where, not what
            throw new BootstrapException("the bootstrap settings from " + url + " are not properties text", null);
        }
        Map<String, String> settings = new TreeMap<>();
        properties.stringPropertyNames().forEach(name -> settings.put(name, properties.getProperty(name)));
        return settings;
    }

    private static void sleep(Duration pause, URI url) {
        try {
            Thread.sleep(pause.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BootstrapException("interrupted while fetching the bootstrap settings from " + url, e);
        }
    }
}

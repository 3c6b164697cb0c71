package io.crossjobs.cli.config;

import io.crossjobs.cli.CliContext;
import io.crossjobs.cli.CliException;
import io.crossjobs.cli.Terminal;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ConnectionResolverTest {
    @TempDir
    Path home;
    @TempDir
    Path checkout;

    private final Map<String, String> env = new HashMap<>();

    @Test
    void flagsBeatEnvironmentWhichBeatsTheConfigFile() throws Exception {
        writeConfig("url=http://from-file:1\ntoken=file-token\nuser=carol\n");
        env.put("CROSSJOBS_URL", "http://from-env:2/");
        env.put("CROSSJOBS_TOKEN", "env-token");

        Connection byFlags = resolve("http://from-flag:3", "flag-token");
        assertEquals("http://from-flag:3", byFlags.url().toString());
        assertEquals("flag-token", byFlags.token().orElseThrow());
        assertEquals("--token", byFlags.tokenSource());

        Connection byEnv = resolve(null, null);
        assertEquals("http://from-env:2", byEnv.url().toString(), "a trailing slash is dropped");
        assertEquals("env-token", byEnv.token().orElseThrow());
        assertEquals(Optional.of("carol"), byEnv.user());

        env.clear();
        Connection byFile = resolve(null, null);
        assertEquals("http://from-file:1", byFile.url().toString());
        assertEquals("file-token", byFile.token().orElseThrow());
        assertTrue(byFile.tokenSource().startsWith("token in "), byFile.tokenSource());
    }

    @Test
    void withNothingConfiguredTheLocalStackAndItsAdminTokenAreUsed() throws Exception {
        Files.createDirectories(checkout.resolve(".crossjobs"));
        Files.writeString(checkout.resolve(".crossjobs/admin-token"), "cj_local\n");

        Connection c = resolve(null, null);
        assertEquals("http://localhost:8080", c.url().toString());
        assertEquals("cj_local", c.token().orElseThrow());
        assertEquals(Optional.of("admin"), c.user(), "the local stack's bootstrap admin");

        env.put("CROSSJOBS_JOB_API_PORT", "18080");
        assertEquals("http://localhost:18080", resolve(null, null).url().toString());
    }

    @Test
    void theLocalAdminTokenIsNeverSentToAConfiguredServer() throws Exception {
        Files.createDirectories(checkout.resolve(".crossjobs"));
        Files.writeString(checkout.resolve(".crossjobs/admin-token"), "cj_local\n");
        env.put("CROSSJOBS_URL", "https://jobs.example.com");

        assertEquals(Optional.empty(), resolve(null, null).token());
    }

    @Test
    void anUnusableUrlIsRefusedNamingWhereItCameFrom() {
        env.put("CROSSJOBS_URL", "localhost:8080");
        CliException e = assertThrows(CliException.class, () -> resolve(null, null));
        assertTrue(e.getMessage().contains("CROSSJOBS_URL"), e.getMessage());
    }

    private void writeConfig(String text) throws Exception {
        Files.createDirectories(home.resolve(".crossjobs"));
        Files.writeString(home.resolve(".crossjobs/config"), text);
    }

    private Connection resolve(String url, String token) {
        ConnectionOptions flags = new ConnectionOptions();
        flags.url = url;
        flags.token = token;
        return new ConnectionResolver(new CliContext(env, home, Optional.of(checkout), Clock.systemUTC(), home, Terminal.NONE)).resolve(flags);
    }
}

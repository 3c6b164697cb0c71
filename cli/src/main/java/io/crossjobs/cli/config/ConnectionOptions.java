package io.crossjobs.cli.config;

import picocli.CommandLine.Option;

/** {@code --url} and {@code --token}, accepted by every command that talks to job-api. */
public class ConnectionOptions {
    @Option(names = "--url", paramLabel = "URL",
            description = "job-api's base URL (default: $CROSSJOBS_URL, then url= in ~/.crossjobs/config, "
                    + "then the local stack: http://localhost:8080)")
    String url;

    @Option(names = "--token", paramLabel = "TOKEN",
            description = "API token (default: $CROSSJOBS_TOKEN, then token= in ~/.crossjobs/config, "
                    + "then the local stack's .crossjobs/admin-token)")
    String token;

    public String url() { return url; }

    public String token() { return token; }
}

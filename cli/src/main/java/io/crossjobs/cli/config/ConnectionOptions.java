package io.crossjobs.cli.config;

import picocli.CommandLine.Option;

/** {@code --url} and {@code --token}, accepted by every command that talks to job-api. */
public class ConnectionOptions {
    @Option(names = "--url", paramLabel = "URL",
            description = "job-api's URL; default: $CROSSJOBS_URL, else url= in the config file, "
                    + "else the local stack (http://localhost:8080)")
    String url;

    @Option(names = "--token", paramLabel = "TOKEN",
            description = "API token; default: $CROSSJOBS_TOKEN, else token= in the config file, "
                    + "else the local stack's admin token")
    String token;

    public String url() { return url; }

    public String token() { return token; }
}

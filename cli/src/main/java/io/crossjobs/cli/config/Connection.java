package io.crossjobs.cli.config;

import java.net.URI;
import java.util.Optional;

/**
 * Where job-api is and how to authenticate, with where each came from so that errors can say what to change.
 *
 * @param user the caller's user name when known (for "my jobs" in {@code queue}); job-api has no "who am I" call
 */
public record Connection(URI url, String urlSource, Optional<String> token, String tokenSource, Optional<String> user) {
}

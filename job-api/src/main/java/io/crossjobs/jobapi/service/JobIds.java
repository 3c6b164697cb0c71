package io.crossjobs.jobapi.service;

import java.util.Optional;

/** Job ids are decimal strings outside and bigints inside; anything else names no job. */
public final class JobIds {

    public static Optional<Long> parse(String id) {
        if (id == null || id.isEmpty() || id.length() > 18) return Optional.empty();
        for (int i = 0; i < id.length(); i++) {
            if (id.charAt(i) < '0' || id.charAt(i) > '9') return Optional.empty();
        }
        return Optional.of(Long.parseLong(id));
    }

    public static long require(String id) {
        return parse(id).orElseThrow(() -> new JobNotFoundException(id));
    }

    private JobIds() { }
}

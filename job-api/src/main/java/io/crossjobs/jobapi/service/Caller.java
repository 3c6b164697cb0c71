package io.crossjobs.jobapi.service;

/** Who is asking: the token's user; an admin sees and cancels every job. */
public record Caller(String name, boolean admin) {

    /** Whether this caller may see (and cancel) a job of {@code owner}; others get 404, as if it did not exist. */
    public boolean maySee(String owner) {
        return admin || name.equals(owner);
    }
}

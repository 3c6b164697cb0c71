package io.crossjobs.mockcloud.sim;

/** A launch reused an idempotency key with different parameters. */
public final class IdempotencyMismatchException extends RuntimeException {
    public IdempotencyMismatchException(String key) {
        super("idempotency key '" + key + "' was used by a different request");
    }
}

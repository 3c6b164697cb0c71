package io.crossjobs.mockcloud.sim;

/** An injected error: the front end answers with this cloud error code, HTTP status and message. */
public final class SimulatedFault extends RuntimeException {
    private final String errorCode;
    private final int httpStatus;
    private final Long retryAfterSeconds;

    public SimulatedFault(String errorCode, int httpStatus, String message) {
        this(errorCode, httpStatus, message, null);
    }

    /** A throttling error that tells when to come back, as Azure's {@code Retry-After} does. */
    public SimulatedFault(String errorCode, int httpStatus, String message, Long retryAfterSeconds) {
        super(message);
        this.errorCode = errorCode;
        this.httpStatus = httpStatus;
        this.retryAfterSeconds = retryAfterSeconds;
    }

    /** Seconds the caller should wait before calling again; null when the cloud does not say. */
    public Long retryAfterSeconds() {
        return retryAfterSeconds;
    }

    public String errorCode() {
        return errorCode;
    }

    public int httpStatus() {
        return httpStatus;
    }
}

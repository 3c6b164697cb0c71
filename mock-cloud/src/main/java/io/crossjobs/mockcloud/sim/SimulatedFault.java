package io.crossjobs.mockcloud.sim;

/** An injected error: the front end answers with this cloud error code, HTTP status and message. */
public final class SimulatedFault extends RuntimeException {
    private final String errorCode;
    private final int httpStatus;

    public SimulatedFault(String errorCode, int httpStatus, String message) {
        super(message);
        this.errorCode = errorCode;
        this.httpStatus = httpStatus;
    }

    public String errorCode() {
        return errorCode;
    }

    public int httpStatus() {
        return httpStatus;
    }
}

package io.crossjobs.provisioner.gcp.service;

/** A zone operation ended DONE with an error: GCE's error code (ZONE_RESOURCE_POOL_EXHAUSTED, ...) and message. */
public class GceOperationException extends RuntimeException {
    private final String code;
    private final int httpStatus;

    public GceOperationException(String code, String message, int httpStatus) {
        super(code + ": " + message);
        this.code = code;
        this.httpStatus = httpStatus;
    }

    public String code() { return code; }

    public int httpStatus() { return httpStatus; }

    /** The message without the code. */
    public String detail() {
        return getMessage().substring(code.length() + 2);
    }
}

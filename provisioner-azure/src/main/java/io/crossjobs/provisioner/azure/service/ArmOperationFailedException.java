package io.crossjobs.provisioner.azure.service;

/** An ARM long-running operation ended Failed; {@code code} is the operation's error code (AllocationFailed, ...). */
public class ArmOperationFailedException extends RuntimeException {
    private final String code;

    public ArmOperationFailedException(String code, String message) {
        super(code + ": " + message);
        this.code = code;
    }

    public String code() { return code; }
}

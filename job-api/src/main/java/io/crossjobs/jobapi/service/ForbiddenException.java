package io.crossjobs.jobapi.service;

/** An authenticated caller asked for something only an admin may do. */
public class ForbiddenException extends RuntimeException {
    public ForbiddenException(String message) {
        super(message);
    }
}

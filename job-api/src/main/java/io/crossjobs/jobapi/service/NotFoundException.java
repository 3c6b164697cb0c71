package io.crossjobs.jobapi.service;

/** Something other than a job (a token, a webhook) that does not exist or is not the caller's. */
public class NotFoundException extends RuntimeException {
    public NotFoundException(String message) {
        super(message);
    }
}

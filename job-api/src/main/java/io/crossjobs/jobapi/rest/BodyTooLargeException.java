package io.crossjobs.jobapi.rest;

/** A submission larger than {@code jobapi.max-body-size}: answered 413 without reading it as a task. */
public class BodyTooLargeException extends RuntimeException {
    public BodyTooLargeException(long limit) {
        super("the body is larger than " + limit + " bytes");
    }
}

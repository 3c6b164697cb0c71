package io.crossjobs.jobapi.model;

/** One invalid input: {@code field} is the path as the client wrote it, e.g. {@code resources.cpus}. */
public record FieldError(String field, String message) {
}

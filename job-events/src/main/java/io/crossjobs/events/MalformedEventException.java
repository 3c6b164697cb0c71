package io.crossjobs.events;

/** A record that is not a crossjobs event: consumers log and skip it rather than block the partition. */
public class MalformedEventException extends RuntimeException {
    public MalformedEventException(String message, Throwable cause) { super(message, cause); }
}

package io.crossjobs.jobapi.service;

/** The body is not well-formed JSON or YAML at all, so no field can be named. */
public class MalformedBodyException extends RuntimeException {
    private final TaskFormat format;

    public MalformedBodyException(TaskFormat format, String message) {
        super(message);
        this.format = format;
    }

    public TaskFormat format() { return format; }
}

package io.crossjobs.jobapi.service;

import io.crossjobs.jobapi.model.FieldError;

import java.util.List;

/** Input that bean validation cannot express (e.g. a list of enum names); answered as 400 naming the fields. */
public class InvalidInputException extends RuntimeException {
    private final List<FieldError> errors;

    public InvalidInputException(String field, String message) {
        super(field + ": " + message);
        this.errors = List.of(new FieldError(field, message));
    }

    public List<FieldError> errors() { return errors; }
}

package io.crossjobs.jobapi.service;

import io.crossjobs.jobapi.model.FieldError;

import java.util.List;
import java.util.stream.Collectors;

/** Invalid input, answered as 400 naming every bad field. */
public class InvalidInputException extends RuntimeException {
    private final List<FieldError> errors;

    public InvalidInputException(String field, String message) {
        this(List.of(new FieldError(field, message)));
    }

    public InvalidInputException(List<FieldError> errors) {
        super(errors.stream().map(e -> e.field() + ": " + e.message()).collect(Collectors.joining("; ")));
        this.errors = List.copyOf(errors);
    }

    public List<FieldError> errors() { return errors; }
}

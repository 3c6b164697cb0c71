package io.crossjobs.controller.service;

/** A request field the controller cannot accept; the REST layer answers 400 naming {@code field}. */
public class InvalidFieldException extends RuntimeException {
    private final String field;

    public InvalidFieldException(String field, String message) {
        super(message);
        this.field = field;
    }

    public String field() { return field; }
}

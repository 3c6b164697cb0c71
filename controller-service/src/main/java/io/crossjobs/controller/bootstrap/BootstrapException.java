package io.crossjobs.controller.bootstrap;

/** The controller could not get its settings from its keeper; it cannot start without them. */
public class BootstrapException extends RuntimeException {
    public BootstrapException(String message, Throwable cause) {
        super(message, cause);
    }
}

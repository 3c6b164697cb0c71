package io.crossjobs.events;

/** The closed taxonomy every cloud adapter maps its error codes into. */
public enum ErrorClass {
    CAPACITY(true), QUOTA(true), AUTH(false), THROTTLED(true), INVALID_REQUEST(false), TRANSIENT(true), UNKNOWN(true),
    /**
     * The cloud cannot take the launch as asked where it was sent, though another place may: an image, type or
     * accelerator not offered in that region or zone, a startup script over that cloud's user-data limit.
     */
    UNSUPPORTED(true);

    private final boolean retryElsewhere;

    ErrorClass(boolean retryElsewhere) { this.retryElsewhere = retryElsewhere; }

    /** Whether launching on another placement can help; AUTH and INVALID_REQUEST fail the same everywhere. */
    public boolean retryElsewhere() { return retryElsewhere; }
}

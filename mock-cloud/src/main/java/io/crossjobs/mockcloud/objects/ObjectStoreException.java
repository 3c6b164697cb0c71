package io.crossjobs.mockcloud.objects;

/** A refused store operation; each front end maps the reason to its cloud's error. */
public class ObjectStoreException extends RuntimeException {
    public enum Reason {
        NO_SUCH_BUCKET, BUCKET_EXISTS, BUCKET_NOT_EMPTY, NO_SUCH_OBJECT, KEY_TOO_LONG, INVALID_KEY, TOO_LARGE,
        PRECONDITION_FAILED
    }

    private final Reason reason;

    public ObjectStoreException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}

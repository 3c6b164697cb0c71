package io.crossjobs.provisioner.model;

import io.crossjobs.events.BlockScope;
import io.crossjobs.events.ErrorClass;

/** A cloud failure, classified once by the adapter: what kind, what to block, and the cloud's own code. */
public record CloudError(ErrorClass errorClass, BlockScope scope, String code, String message) {

    /** Waiting and asking again can help: the cloud is throttling us or failed transiently. */
    public boolean retryable() {
        return errorClass == ErrorClass.THROTTLED || errorClass == ErrorClass.TRANSIENT;
    }

    @Override
    public String toString() {
        return errorClass + "/" + scope + " " + code + ": " + message;
    }
}

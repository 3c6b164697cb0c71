package io.crossjobs.provisioner.service;

import io.crossjobs.provisioner.model.CloudError;

/** A cloud call failed; the adapter has classified why. */
public class CloudCallException extends RuntimeException {
    private final CloudError error;

    public CloudCallException(CloudError error, Throwable cause) {
        super(error.toString(), cause);
        this.error = error;
    }

    public CloudError error() { return error; }

    static CloudCallException of(CloudError error, Throwable cause) {
        return error.retryable() ? new RetryableCloudCallException(error, cause) : new CloudCallException(error, cause);
    }
}

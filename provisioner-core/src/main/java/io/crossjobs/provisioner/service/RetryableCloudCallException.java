package io.crossjobs.provisioner.service;

import io.crossjobs.provisioner.model.CloudError;

/** A throttled or transient failure: asking again later may succeed. */
public class RetryableCloudCallException extends CloudCallException {
    public RetryableCloudCallException(CloudError error, Throwable cause) { super(error, cause); }
}

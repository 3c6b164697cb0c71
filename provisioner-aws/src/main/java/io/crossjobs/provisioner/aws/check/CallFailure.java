package io.crossjobs.provisioner.aws.check;

import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkException;

import java.util.concurrent.CompletionException;

/** A failed call as a finding names it: the cloud's error code (or, without an answer, the client's message). */
record CallFailure(String code, String message, int status) {

    static CallFailure of(Throwable error) {
        Throwable e = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        if (e instanceof ServiceQuotasClient.Failed f) return f.failure();
        if (e instanceof AwsServiceException aws) {
            String code = aws.awsErrorDetails() == null ? null : aws.awsErrorDetails().errorCode();
            return new CallFailure(code == null ? "HTTP " + aws.statusCode() : code, aws.getMessage(), aws.statusCode());
        }
        if (e instanceof SdkException) return new CallFailure(e.getClass().getSimpleName(), e.getMessage(), 0);
        return new CallFailure(e.getClass().getSimpleName(), String.valueOf(e.getMessage()), 0);
    }

    /** "UnauthorizedOperation", or "HTTP 403" for an answer without a code (S3's HEAD). */
    @Override
    public String toString() {
        return code;
    }
}

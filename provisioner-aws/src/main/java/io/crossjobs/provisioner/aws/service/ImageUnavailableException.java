package io.crossjobs.provisioner.aws.service;

/** The region answered, but holds no usable image under the id it was given (DescribeImages found nothing). */
public class ImageUnavailableException extends RuntimeException {
    public ImageUnavailableException(String message) {
        super(message);
    }
}

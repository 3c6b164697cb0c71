package io.crossjobs.provisioner.aws.service;

import io.crossjobs.provisioner.aws.config.AwsConfig;

/**
 * Where a region's AMI comes from: an id configured for that region ({@code image-ids.<region>}), else the one id
 * configured for all ({@code image-id}), else the public SSM parameter ({@code image-ssm-parameter}) read in that
 * region. Exactly one of the two fields is set.
 */
public record ImageSource(String imageId, String ssmParameter) {

    public static ImageSource of(AwsConfig config, String region) {
        String perRegion = config.imageIds().get(region);
        if (perRegion != null && !perRegion.isBlank()) return new ImageSource(perRegion.strip(), null);
        return config.imageId().filter(id -> !id.isBlank())
                .map(id -> new ImageSource(id.strip(), null))
                .orElseGet(() -> new ImageSource(null, config.imageSsmParameter()));
    }

    @Override
    public String toString() {
        return imageId != null ? "configured id" : "SSM parameter " + ssmParameter;
    }
}

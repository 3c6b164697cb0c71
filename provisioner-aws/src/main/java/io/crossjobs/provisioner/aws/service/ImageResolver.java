package io.crossjobs.provisioner.aws.service;

import io.crossjobs.provisioner.aws.config.AwsConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;
import software.amazon.awssdk.services.ec2.model.Image;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The image each region boots ({@link ImageSource}: configured id or public SSM parameter), with its root device
 * from DescribeImages. A region's answer is kept for {@code image-cache-ttl}: launches do not read SSM each time,
 * and a newer image published under the parameter is picked up after that. When reading again fails, the image
 * known so far keeps being used (and the read is tried again a minute later); a region never resolved fails the
 * launch with the cloud's error.
 */
@ApplicationScoped
public class ImageResolver {
    private static final Logger LOG = Logger.getLogger(ImageResolver.class);
    static final Duration RETRY_AFTER_FAILURE = Duration.ofMinutes(1);

    private record Known(BootImage image, Instant freshUntil) { }

    private final AwsClients clients;
    private final AwsConfig config;
    private final Clock clock;
    private final Map<String, Known> byRegion = new ConcurrentHashMap<>();

    @Inject
    public ImageResolver(AwsClients clients, AwsConfig config) {
        this(clients, config, Clock.systemUTC());
    }

    public ImageResolver(AwsClients clients, AwsConfig config, Clock clock) {
        this.clients = clients;
        this.config = config;
        this.clock = clock;
    }

    /** Blocks (SSM and EC2 calls) when the region's image is not known or no longer fresh. */
    public BootImage in(String region) {
        Instant now = clock.instant();
        Known known = byRegion.get(region);
        if (known != null && now.isBefore(known.freshUntil())) return known.image();
        try {
            BootImage image = lookUp(region);
            byRegion.put(region, new Known(image, now.plus(config.imageCacheTtl())));
            return image;
        } catch (RuntimeException e) {
            if (known == null) throw e;
            LOG.warnf("cloud=aws region=%s cannot read the image again (%s); booting %s as before", region,
                    e.getMessage(), known.image().imageId());
            byRegion.put(region, new Known(known.image(), now.plus(RETRY_AFTER_FAILURE)));
            return known.image();
        }
    }

    private BootImage lookUp(String region) {
        ImageSource source = ImageSource.of(config, region);
        String imageId = source.imageId() != null ? source.imageId()
                : clients.ssm(region).getParameter(b -> b.name(source.ssmParameter())).join().parameter().value();
        List<Image> images = clients.ec2(region).describeImages(b -> b.imageIds(imageId)).join().images();
        if (images.isEmpty()) {
            throw new ImageUnavailableException("image " + imageId + " (" + source + ") is not available in "
                    + region);
        }
        Image image = images.get(0);
        BootImage boot = new BootImage(imageId, image.rootDeviceName());
        LOG.infof("cloud=aws region=%s boots %s (%s, root %s)", region, imageId, source, image.rootDeviceName());
        return boot;
    }
}

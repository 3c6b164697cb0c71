package io.crossjobs.provisioner.aws;

import io.crossjobs.provisioner.aws.service.ImageSource;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Which image a region boots: its own configured id, else the one id for all, else the SSM parameter. */
class ImageSourceTest {
    private final TestAwsConfig defaults = TestAwsConfig.at("http://unused");

    @Test
    void theParameterByDefault() {
        assertEquals(new ImageSource(null, TestAwsConfig.UBUNTU_2204), ImageSource.of(defaults, "eu-west-1"));
    }

    @Test
    void oneIdForAllRegionsWinsOverTheParameter() {
        assertEquals(new ImageSource("ami-1", null), ImageSource.of(defaults.withImageId("ami-1"), "eu-west-1"));
    }

    @Test
    void aRegionsOwnIdWinsOverBoth() {
        TestAwsConfig config = defaults.withImageId("ami-1").withImageIds(Map.of("eu-west-1", "ami-2"));
        assertEquals(new ImageSource("ami-2", null), ImageSource.of(config, "eu-west-1"));
        assertEquals(new ImageSource("ami-1", null), ImageSource.of(config, "us-east-1"));
        assertEquals(new ImageSource(null, "/custom"),
                ImageSource.of(defaults.withImageSsmParameter("/custom").withImageIds(Map.of("eu-west-1", "ami-2")),
                        "us-east-1"));
    }
}

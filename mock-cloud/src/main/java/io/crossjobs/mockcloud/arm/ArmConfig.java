package io.crossjobs.mockcloud.arm;

import java.util.List;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** {@code mock-cloud.arm.*}: the ARM front end's HTTPS listener. */
@ConfigMapping(prefix = "mock-cloud.arm")
public interface ArmConfig {

    /** HTTPS port of the ARM API (the Azure SDK's bearer-token policy refuses plain http); 0 picks a free one. */
    @WithDefault("8443")
    int httpsPort();

    /** Interface the HTTPS listener binds. */
    @WithDefault("127.0.0.1")
    String host();

    /**
     * Host names (or IPs) the generated certificate is valid for besides localhost and 127.0.0.1: the name
     * clients reach mock-cloud by, e.g. {@code mock-cloud} inside Docker Compose.
     */
    Optional<List<String>> extraHostNames();

    /** VMs per page of a list call; further pages follow nextLink. */
    @WithDefault("100")
    int pageSize();
}

package io.crossjobs.mockcloud.sim;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One launch call from a front end: {@code count} identical VMs in one zone.
 *
 * @param action          the front end's name for the call (RunInstances, instances.insert, ...) for fault rules
 * @param names           optional per-VM names (GCE and Azure name their VMs); when given, its size must be count
 * @param idempotencyKey  optional; a second launch with the same key in the same cloud and region returns the
 *                        first launch's VMs instead of creating new ones
 * @param fingerprint     what identifies "the same request" for idempotency; a different fingerprint under a
 *                        known key is an {@link IdempotencyMismatchException}
 * @param attributes      front-end specific values to keep with each VM (client token, spot request id, ...)
 */
public record LaunchRequest(Cloud cloud, String region, String zone, String instanceType, String imageId,
                            Map<String, String> tags, boolean spot, byte[] userData, int count, String action,
                            List<String> names, String idempotencyKey, String fingerprint,
                            Map<String, String> attributes) {
    public LaunchRequest {
        Objects.requireNonNull(cloud, "cloud");
        Objects.requireNonNull(region, "region");
        Objects.requireNonNull(zone, "zone");
        Objects.requireNonNull(instanceType, "instanceType");
        tags = tags == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(tags)); // keeps order
        attributes = attributes == null ? Map.of() : Map.copyOf(attributes);
        userData = userData == null ? new byte[0] : userData.clone();
        if (count < 1) throw new IllegalArgumentException("count must be at least 1");
        if (names != null && names.size() != count) throw new IllegalArgumentException("one name per VM");
        names = names == null ? null : List.copyOf(names);
    }
}

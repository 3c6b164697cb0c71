package io.crossjobs.catalog;

import java.util.List;
import java.util.stream.Collectors;

import io.crossjobs.events.BlockScope;

/**
 * A part of a cloud the optimizer must not offer again for this job, and why. {@code region} is null for a
 * CLOUD block and {@code zone} is null for a REGION block.
 */
public record BlockedScope(BlockScope scope, String cloud, String region, String zone, String reason, int attempt) {
    private static final int NAMED_IN_REASON = 5;

    public static BlockedScope of(BlockScope scope, String cloud, String region, String zone, String reason,
                                  int attempt) {
        BlockScope effective = scope == null ? BlockScope.ZONE : scope;
        // a zone block without a zone (or a region block without a region) widens to what is known
        if (effective == BlockScope.ZONE && zone == null) effective = BlockScope.REGION;
        if (effective == BlockScope.REGION && region == null) effective = BlockScope.CLOUD;
        return new BlockedScope(effective, cloud,
                effective == BlockScope.CLOUD ? null : region,
                effective == BlockScope.ZONE ? zone : null,
                reason, attempt);
    }

    public boolean blocks(Offer offer) {
        if (!offer.cloud().equalsIgnoreCase(cloud)) return false;
        return switch (scope) {
            case CLOUD -> true;
            case REGION -> offer.region().equals(region);
            case ZONE -> offer.region().equals(region) && offer.zone().equals(zone);
        };
    }

    /** {@code zone aws/us-east-1/us-east-1a}, {@code region aws/us-east-1} or {@code cloud aws}. */
    public String where() {
        return switch (scope) {
            case CLOUD -> "cloud " + cloud;
            case REGION -> "region " + cloud + "/" + region;
            case ZONE -> "zone " + cloud + "/" + region + "/" + zone;
        };
    }

    public String describe() {
        return where() + " (attempt " + attempt + ": " + reason + ")";
    }

    /** The first five blocks described, then how many more: reasons stay readable on a long blocklist. */
    public static String describeAll(List<BlockedScope> blocks) {
        String named = blocks.stream().limit(NAMED_IN_REASON).map(BlockedScope::describe)
                .collect(Collectors.joining("; "));
        return blocks.size() > NAMED_IN_REASON ? named + "; and " + (blocks.size() - NAMED_IN_REASON) + " more" : named;
    }
}

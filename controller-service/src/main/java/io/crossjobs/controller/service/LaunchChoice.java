package io.crossjobs.controller.service;

import io.crossjobs.controller.model.LaunchesInFlight.Region;
import io.crossjobs.events.Placement;

import java.util.List;
import java.util.stream.Collectors;

/**
 * Where a job launches now ({@code placement}; null: it waits), and the regions whose launch capacity was full,
 * passed over for it in the order of its candidates (cheapest first).
 */
public record LaunchChoice(Placement placement, List<FullRegion> passedOver) {
    private static final int NAMED = 3;

    public LaunchChoice {
        passedOver = List.copyOf(passedOver);
    }

    /** A region that takes no launch now: {@code inFlight} launches there, {@code limit} at most. */
    public record FullRegion(Region region, int inFlight, int limit) {
        /** {@code aws/us-east-1 launch capacity full: 40 in flight of 40}. */
        public String describe() {
            return region + " launch capacity full: " + inFlight + " in flight of " + limit;
        }
    }

    public boolean waits() {
        return placement == null;
    }

    /** The first three full regions described, then how many more: a reason stays readable. */
    public String describeFull() {
        String named = passedOver.stream().limit(NAMED).map(FullRegion::describe).collect(Collectors.joining("; "));
        int more = passedOver.size() - NAMED;
        return more > 0 ? named + "; and " + more + " more full region" + (more == 1 ? "" : "s") : named;
    }
}

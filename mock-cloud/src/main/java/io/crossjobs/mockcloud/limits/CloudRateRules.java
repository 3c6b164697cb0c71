package io.crossjobs.mockcloud.limits;

import io.crossjobs.mockcloud.sim.SimulatedFault;

import java.time.Duration;
import java.util.List;

/** One cloud's documented request limits and the error it answers when one is exceeded. */
interface CloudRateRules {

    /** Every limit the call counts against; all must admit it. */
    List<Limit> limitsOf(ApiCall call);

    /** The cloud's own throttling error for a call refused by {@code limit}, admitted again after {@code wait}. */
    SimulatedFault throttled(ApiCall call, Limit limit, Duration wait);
}

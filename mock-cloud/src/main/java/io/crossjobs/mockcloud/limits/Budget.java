package io.crossjobs.mockcloud.limits;

import java.time.Duration;
import java.time.Instant;

/** One throttling counter of a cloud: how many calls (or units, e.g. instances) it lets through when. */
interface Budget {

    /** How long until {@code units} would be admitted; zero means now. Takes nothing. */
    Duration waitFor(int units, Instant now);

    /** Takes {@code units}; call only after {@link #waitFor} answered zero at the same instant. */
    void take(int units, Instant now);

    /** Units left to take at {@code now}, for the clouds' remaining-calls headers. */
    long remaining(Instant now);
}

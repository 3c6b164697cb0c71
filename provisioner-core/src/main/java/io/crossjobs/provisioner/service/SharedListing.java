package io.crossjobs.provisioner.service;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Supplier;

/**
 * One list call's answer shared by the calls that ask within {@code window} of it. A poll lists each region in
 * turn; a cloud whose one list call answers for every region (GCE's aggregatedList, Azure's subscription-wide VM
 * list) is then asked once per poll instead of once per region. Thread-safe; a caller that finds the answer stale
 * makes the call while the others wait for it.
 */
public final class SharedListing<T> {
    /** Long enough to span one poll's regions, short against the poll interval. */
    public static final Duration POLL_BURST = Duration.ofMillis(500);

    private final Duration window;
    private final Clock clock;
    private T answer;
    private Instant answeredAt;

    public SharedListing(Duration window) {
        this(window, Clock.systemUTC());
    }

    public SharedListing(Duration window, Clock clock) {
        this.window = window;
        this.clock = clock;
    }

    public synchronized T get(Supplier<T> listCall) {
        Instant now = clock.instant();
        if (answer == null || !now.isBefore(answeredAt.plus(window))) {
            answer = listCall.get();
            answeredAt = clock.instant();
        }
        return answer;
    }
}

package io.crossjobs.controller.service;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/** A clock the test moves forward. */
final class MovingClock extends Clock {
    private Instant now;

    MovingClock(Instant start) { this.now = start; }

    void advance(Duration by) { now = now.plus(by); }

    @Override public ZoneId getZone() { return ZoneOffset.UTC; }

    @Override public Clock withZone(ZoneId zone) { return this; }

    @Override public Instant instant() { return now; }
}

package io.crossjobs.service.messaging;

import io.smallrye.mutiny.Uni;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Runs rounds of one kind of work (publishing the outbox, scanning for launches) on request, one at a time: a
 * request during a round makes another round follow it, and any number of requests meanwhile make one. Requests
 * are cheap and safe from any thread; a timer's requests catch whatever a failed round left.
 */
public final class Rounds {
    /** What a round asks for next. */
    public enum Next {
        /** Another round at once (there is more to do). */
        AGAIN,
        /** Nothing more unless requested. */
        DONE,
        /** A part of it failed: no round until the next request from outside (the timer's), however early. */
        WAIT
    }

    private final Supplier<Uni<Next>> round;
    private final Consumer<Throwable> onFailure;
    private final AtomicBoolean running = new AtomicBoolean();
    private final AtomicBoolean requested = new AtomicBoolean();
    private volatile boolean stopped;

    /** {@code onFailure} hears a round that failed; like {@link Next#WAIT}, the next request starts the next one. */
    public Rounds(Supplier<Uni<Next>> round, Consumer<Throwable> onFailure) {
        this.round = round;
        this.onFailure = onFailure;
    }

    public void request() {
        if (stopped) return;
        requested.set(true);
        if (running.compareAndSet(false, true)) start();
    }

    /** No round starts after this (the application is shutting down); what is left waits for the next start. */
    public void stop() {
        stopped = true;
    }

    public boolean stopped() {
        return stopped;
    }

    private void start() {
        requested.set(false);
        Uni.createFrom().<Next>deferred(round::get).subscribe().with(next -> {
            running.set(false);
            // a request that came during the round must not wait for the next tick
            if (next != Next.WAIT && (next == Next.AGAIN || requested.get()) && !stopped
                    && running.compareAndSet(false, true)) {
                start();
            }
        }, failure -> {
            running.set(false);
            if (!stopped) onFailure.accept(failure);
        });
    }
}

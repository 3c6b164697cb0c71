package io.crossjobs.jobapi.service;

import io.crossjobs.jobapi.config.LimitsConfig;
import io.smallrye.mutiny.Multi;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Counts the streams each token holds open in this job-api (live streams and log follows) and refuses one over
 * {@code jobapi.limits.streams-per-token}. A stream's slot is taken when it is asked for and given back when it ends,
 * fails or its client goes away. Admin tokens are not counted.
 */
@ApplicationScoped
public class StreamSlots {
    private final ConcurrentMap<String, Integer> open = new ConcurrentHashMap<>();
    private final LimitsConfig limits;

    public StreamSlots(LimitsConfig limits) {
        this.limits = limits;
    }

    /**
     * {@code stream} holding one of the caller's slots until it terminates; a {@link LimitReachedException} (429)
     * when the token holds all of them.
     */
    public <T> Multi<T> hold(Caller caller, String token, Multi<T> stream) {
        if (caller.admin()) return stream;
        int cap = limits.streamsPerToken();
        int[] held = new int[1];
        open.compute(token, (t, n) -> {
            held[0] = n == null ? 0 : n;
            return held[0] >= cap ? n : held[0] + 1;
        });
        if (held[0] >= cap) {
            throw new LimitReachedException(LimitReachedException.Cap.STREAMS_PER_TOKEN, cap, held[0],
                    "this token has " + held[0] + " streams open (live stream and log follows), the most "
                            + "jobapi.limits.streams-per-token allows (" + cap + "); close one first");
        }
        AtomicBoolean released = new AtomicBoolean();
        return stream.onTermination().invoke(() -> {
            if (released.compareAndSet(false, true)) open.computeIfPresent(token, (t, n) -> n <= 1 ? null : n - 1);
        });
    }
}

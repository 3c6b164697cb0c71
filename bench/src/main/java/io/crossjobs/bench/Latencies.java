package io.crossjobs.bench;

import java.util.Arrays;

/** Samples of one measured quantity, in nanoseconds; thread-safe, summarised as percentiles. */
final class Latencies {
    private long[] samples = new long[1024];
    private int size;

    synchronized void add(long nanos) {
        if (size == samples.length) samples = Arrays.copyOf(samples, size * 2);
        samples[size++] = nanos;
    }

    void addMillis(long millis) {
        add(millis * 1_000_000L);
    }

    synchronized int count() { return size; }

    synchronized Summary summary() {
        long[] sorted = Arrays.copyOf(samples, size);
        Arrays.sort(sorted);
        return new Summary(size, ms(percentile(sorted, 0.50)), ms(percentile(sorted, 0.99)),
                ms(size == 0 ? 0 : sorted[size - 1]));
    }

    private static long percentile(long[] sorted, double p) {
        if (sorted.length == 0) return 0;
        int index = (int) Math.ceil(p * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
    }

    private static double ms(long nanos) {
        return Math.round(nanos / 10_000d) / 100d;
    }

    /** Milliseconds, two decimals. */
    record Summary(int count, double p50Ms, double p99Ms, double maxMs) { }
}

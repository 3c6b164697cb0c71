package io.crossjobs.jobapi.cost;

import java.util.Locale;

/** How the cost report rounds and writes amounts of USD. */
final class Money {
    /** Below this the advice is noise (jobs of seconds on the local stack, prices a rounding apart). */
    static final double MIN_SAVING_USD = 0.01;

    private Money() { }

    /** Micro-dollars: a job that ran for seconds costs a few of them, and must not read as free. */
    static double round(double usd) {
        return Math.round(usd * 1_000_000d) / 1_000_000d;
    }

    /** Cents, or micro-dollars below a cent. */
    static String format(double usd) {
        return String.format(Locale.ROOT, usd >= 0.01 ? "%.2f" : "%.6f", usd);
    }
}

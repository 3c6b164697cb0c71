package io.crossjobs.provisioner.service;

/**
 * A call {@link CallPacer} held back: no slot of its limit within the wait allowed. Nothing reached the cloud; core
 * treats it as the cloud's throttling, so commands retry with backoff and polls try again next tick.
 */
public class HeldBackException extends RuntimeException {

    public HeldBackException(String region, RateBudget budget) {
        super("held back by crossjobs' pacing: no " + budget.name() + " slot in " + region + " (" + budget.burst()
                + " at once, " + budget.perSecond() + "/s)");
    }
}

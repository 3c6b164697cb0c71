package io.crossjobs.jobapi.quota;

/** A submission refused by a quota; nothing of it was stored. */
public class QuotaExceededException extends RuntimeException {
    private final transient QuotaRefusal refusal;

    public QuotaExceededException(QuotaRefusal refusal, String owner) {
        super(refusal.detail(owner));
        this.refusal = refusal;
    }

    public QuotaRefusal refusal() { return refusal; }
}

package io.crossjobs.mockcloud.quotas;

/**
 * A launch that does not fit one quota: it asks for {@code requested} more of {@code draw}'s metric where
 * {@code usage} of {@code limit} is taken by the VMs alive.
 */
public record Shortfall(QuotaSubject subject, Draw draw, double limit, double usage, double requested) {
}

package io.crossjobs.jobapi.check;

import io.crossjobs.events.AccountChecked;

import java.time.Instant;
import java.util.List;

/**
 * One cloud's part of a check, as {@code GET /checks/{id}} shows it.
 *
 * @param state    PENDING until the cloud's provisioner answers, then READY or NOT_READY
 * @param line     the one line {@code crossjobs check} prints for this cloud ({@link CheckLine})
 * @param findings what the provisioner found, per aspect; empty while pending
 */
public record CloudCheck(String cloud, State state, Instant checkedAt, String line,
                         List<AccountChecked.Finding> findings) {

    public enum State { PENDING, READY, NOT_READY }

    public CloudCheck {
        findings = List.copyOf(findings);
    }

    static CloudCheck pending(String cloud) {
        return new CloudCheck(cloud, State.PENDING, null, CheckLine.pending(cloud), List.of());
    }

    static CloudCheck answered(String cloud, Instant checkedAt, List<AccountChecked.Finding> findings) {
        boolean ready = findings.stream().allMatch(AccountChecked.Finding::ok);
        return new CloudCheck(cloud, ready ? State.READY : State.NOT_READY, checkedAt,
                CheckLine.answered(cloud, findings), findings);
    }
}

package io.crossjobs.events;

import java.time.Instant;
import java.util.List;

/**
 * provisioner → job-api, on provision-events: what {@link CheckAccount} found, one finding per {@link CheckAspect}
 * that was looked at. The account is ready when every finding is.
 */
public record AccountChecked(String checkId, String cloud, Instant checkedAt, List<Finding> findings)
        implements JobEvent {

    public AccountChecked {
        findings = List.copyOf(findings);
    }

    @Override
    public String jobId() { return checkId; }

    public boolean ready() {
        return findings.stream().allMatch(Finding::ok);
    }

    /**
     * The findings of an account whose credentials failed: {@code credentials} first, then every later aspect failed
     * as not checked, since nothing else can be asked without them.
     */
    public static List<Finding> credentialsFailed(Finding credentials) {
        List<Finding> all = new java.util.ArrayList<>(List.of(credentials));
        for (CheckAspect aspect : CheckAspect.values()) {
            if (aspect != CheckAspect.CREDENTIALS) {
                all.add(Finding.failed(aspect, "not checked: credentials failed", "fix the credentials first"));
            }
        }
        return all;
    }

    /**
     * @param detail what was found, for a person: "account 123456789012", "ec2:RunInstances is denied
     *               (UnauthorizedOperation)"
     * @param fix    what to do about it when not ok, naming the setting, command or README section; null when ok
     */
    public record Finding(CheckAspect aspect, boolean ok, String detail, String fix) {

        public static Finding ok(CheckAspect aspect, String detail) {
            return new Finding(aspect, true, detail, null);
        }

        public static Finding failed(CheckAspect aspect, String detail, String fix) {
            return new Finding(aspect, false, detail, fix);
        }
    }
}

package io.crossjobs.events;

/**
 * job-api → each provisioner, on provision-commands.&lt;cloud&gt;: check whether this cloud's account can run jobs
 * ({@code crossjobs check}) and answer {@link AccountChecked}. Keyed by the check's id, which stands in for a job id
 * as the controller identity does for the controller's events.
 */
public record CheckAccount(String checkId, String cloud) implements JobEvent {
    /** Every check id starts so, which tells a check's events from a job's by their key alone. */
    public static final String ID_PREFIX = "check-";

    public static boolean isCheckId(String key) {
        return key != null && key.startsWith(ID_PREFIX);
    }

    @Override
    public String jobId() { return checkId; }
}

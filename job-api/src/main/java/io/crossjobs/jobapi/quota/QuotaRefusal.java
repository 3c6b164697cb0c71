package io.crossjobs.jobapi.quota;

/**
 * A submission over one quota: the quota's name (its setting's, {@code jobapi.quotas.defaults.<quota>}), its limit,
 * what the user's live jobs hold of it now, and what the submission asked for on top.
 */
public record QuotaRefusal(String quota, Number limit, Number usage, Number requested) {

    /** Over the nodes of one job: no number of finished jobs makes room for it. */
    public boolean permanent() {
        return Quotas.NODES_PER_JOB.equals(quota);
    }

    public String detail(String owner) {
        if (permanent()) {
            return "quota " + quota + " of " + owner + " exceeded: a job may have at most " + limit + " nodes; this one has "
                    + requested;
        }
        return "quota " + quota + " of " + owner + " exceeded: limit " + format(limit) + ", in use " + format(usage)
                + ", this submission needs " + format(requested) + " more";
    }

    static String format(Number n) {
        if (n instanceof Double d) {
            double rounded = Math.round(d * 10000) / 10000d;
            return rounded == Math.rint(rounded) ? Long.toString((long) rounded) : Double.toString(rounded);
        }
        return String.valueOf(n);
    }
}

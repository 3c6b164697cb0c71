package io.crossjobs.provisioner.gcp.service;

import io.crossjobs.events.CloudTags;
import io.crossjobs.events.DeploymentId;
import io.crossjobs.provisioner.model.ClusterKey;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

/**
 * crossjobs' tags as GCE labels and names. Label values may hold only lowercase letters, digits, '_' and '-'
 * (at most 63), so labels carry a folded value for filtering and the exact values travel in instance metadata
 * under the same keys. A job id such as "42" and a controller identity such as "controller-1a2b3c4d" are valid
 * label values as they are, so their labels equal the exact value. A {@link DeploymentId} is a valid label value by
 * its own rule.
 */
public final class GceLabels {
    private static final int MAX = 63;

    public static Map<String, String> of(DeploymentId deployment, ClusterKey c, int rank) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put(CloudTags.MANAGED_BY, CloudTags.MANAGED_BY_VALUE);
        m.put(CloudTags.DEPLOYMENT, deployment.value());
        m.putAll(clusterLabels(c));
        m.put(CloudTags.NODE_RANK, Integer.toString(rank));
        m.put(CloudTags.ROLE, c.role().tagValue());    // "job" or "controller": already a valid label value
        return m;
    }

    /** The labels that find one cluster (besides managed-by). */
    public static Map<String, String> clusterLabels(ClusterKey c) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put(CloudTags.JOB_ID, value(c.jobId()));
        m.put(CloudTags.ATTEMPT, Integer.toString(c.attempt()));
        m.put(CloudTags.CLUSTER, value(c.clusterName()));
        return m;
    }

    /** A label value: lower case, other characters as '-', cut to 63. */
    public static String value(String s) {
        String v = s.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_-]", "-");
        return v.length() <= MAX ? v : v.substring(0, MAX);
    }

    /**
     * The instance name of one rank: readable (the cluster name), unique (a hash of the exact cluster key and, but for
     * the default deployment, the deployment, since folding and cutting may make two clusters look alike and two
     * deployments name their clusters alike) and valid (RFC 1035, at most 63).
     */
    public static String instanceName(DeploymentId deployment, ClusterKey c, int rank) {
        String base = c.clusterName().toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9-]", "-");
        if (base.isEmpty() || !Character.isLetter(base.charAt(0))) base = "cj-" + base;
        if (base.length() > 44) base = base.substring(0, 44);
        base = base.replaceAll("-+$", "");
        return base + "-" + hash(deployment, c).substring(0, 8) + "-" + rank;
    }

    /**
     * GCE's idempotency token of one rank in one zone (a UUID): the same cluster, rank and zone of one deployment
     * always send the same one. GCE answers a known requestId with the original operation even when that one failed, so a failed insert is
     * not retried under the same token: the controller's next attempt (or another zone) makes a new one.
     */
    public static String requestId(DeploymentId deployment, ClusterKey c, int rank, String zone) {
        return UUID.nameUUIDFromBytes(deployment.qualify(
                c.jobId() + "\n" + c.attempt() + "\n" + c.clusterName() + "\n" + rank + "\n" + zone)
                .getBytes(StandardCharsets.UTF_8)).toString();
    }

    /** A filter for the aggregated list: every label equal (GCE's {@code labels.KEY = "VALUE"} syntax). */
    public static String filter(Map<String, String> labels) {
        StringBuilder f = new StringBuilder();
        labels.forEach((k, v) -> f.append(f.length() == 0 ? "" : " AND ")
                .append("(labels.").append(k).append(" = \"").append(v).append("\")"));
        return f.toString();
    }

    private static String hash(DeploymentId deployment, ClusterKey c) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(deployment.qualify(
                    c.jobId() + "\n" + c.attempt() + "\n" + c.clusterName()).getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private GceLabels() { }
}

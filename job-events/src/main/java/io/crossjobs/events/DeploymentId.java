package io.crossjobs.events;

import java.util.regex.Pattern;

/**
 * Which deployment of crossjobs an instance belongs to ({@code crossjobs.deployment-id}), so that several deployments
 * can share one cloud account: every instance carries it as the {@link CloudTags#DEPLOYMENT} tag, and a provisioner
 * lists, reports and terminates only its own deployment's instances.
 * <p>
 * The value must be valid everywhere it goes: a GCE label value (lowercase letters, digits, '_' and '-', at most 63),
 * an EC2 and Azure tag value, and part of an Azure VM name and Linux host name (letters, digits and '-', at most 64
 * in all, with the cluster's name and rank). Hence 1 to 20 lowercase letters, digits and '-', starting with a letter
 * and not ending with '-'.
 * <p>
 * An instance without the tag was made before deployments had ids: it belongs to {@link #DEFAULT}, so an upgraded
 * deployment that keeps the default goes on managing the jobs it was running.
 */
public record DeploymentId(String value) {
    /** The longest id: an Azure VM name holds the cluster name, the id and the rank within 64 characters. */
    public static final int MAX_LENGTH = 20;
    private static final Pattern VALID = Pattern.compile("[a-z]([a-z0-9-]*[a-z0-9])?");
    /** The deployment of a stack that names none, and of every instance without the tag. */
    public static final DeploymentId DEFAULT = new DeploymentId("default");

    public DeploymentId {
        if (value == null || value.length() > MAX_LENGTH || !VALID.matcher(value).matches()) {
            throw new IllegalArgumentException("crossjobs.deployment-id '" + value + "' is not a valid deployment id: "
                    + "1 to " + MAX_LENGTH + " lowercase letters, digits and '-', starting with a letter and not "
                    + "ending with '-' (it is a tag value on every cloud and part of Azure VM names)");
        }
    }

    public boolean isDefault() { return equals(DEFAULT); }

    /** Whether an instance whose {@link CloudTags#DEPLOYMENT} tag is {@code tagValue} (null: none) is ours. */
    public boolean owns(String tagValue) {
        return value.equals(tagValue == null ? DEFAULT.value : tagValue);
    }

    /**
     * {@code key}, the text a cloud name or idempotency token is derived from, made this deployment's: unchanged for
     * the default deployment (a launch replayed after an upgrade finds the instance it made before), followed by the
     * id otherwise, so two deployments launching clusters of the same name never share an instance.
     */
    public String qualify(String key) {
        return isDefault() ? key : key + "\n" + value;
    }

    @Override
    public String toString() { return value; }
}

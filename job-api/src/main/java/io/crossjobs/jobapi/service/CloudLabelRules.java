package io.crossjobs.jobapi.service;

import io.crossjobs.events.CloudTags;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Whether {@code resources.labels} can be set on an instance of a cloud, beside the tags crossjobs sets itself:
 * EC2 instance tags, GCE instance labels, Azure VM tags, each with its cloud's documented rules (job-api/README.md,
 * "resources.labels", cites them). Policy only: {@link TaskSpecMapper} asks it for every cloud a task may run on,
 * as SkyPilot's {@code Resources._try_validate_labels} asks {@code cloud.is_label_valid} of the chosen cloud or, when
 * none is chosen, of every enabled cloud.
 */
public final class CloudLabelRules {

    /** One problem: the label key it concerns (null: the labels as a whole) and what is wrong, naming the cloud. */
    public record Problem(String key, String message) { }

    // EC2: letters, digits, spaces and + - = . _ : / @ (docs.aws.amazon.com, "Tag restrictions")
    private static final Pattern AWS_CHARS = Pattern.compile("[\\p{L}\\p{Z}\\p{N}+\\-=._:/@]*");
    // GCE: keys start with a lowercase letter; keys and values hold lowercase letters, digits, '_' and '-'
    private static final Pattern GCP_KEY = Pattern.compile("[a-z][a-z0-9_-]{0,62}");
    private static final Pattern GCP_VALUE = Pattern.compile("[a-z0-9_-]{0,63}");

    /** crossjobs' own EC2 tags, {@code Name} and the node addresses written after launch among them. */
    static final Set<String> AWS_OWN = Set.of(CloudTags.MANAGED_BY, CloudTags.DEPLOYMENT, CloudTags.JOB_ID,
            CloudTags.CLUSTER, CloudTags.ATTEMPT, CloudTags.NODE_RANK, CloudTags.ROLE, CloudTags.NODE_IPS, "Name");
    /** crossjobs' own GCE labels (the node addresses travel in metadata there, not in a label). */
    static final Set<String> GCP_OWN = Set.of(CloudTags.MANAGED_BY, CloudTags.DEPLOYMENT, CloudTags.JOB_ID,
            CloudTags.CLUSTER, CloudTags.ATTEMPT, CloudTags.NODE_RANK, CloudTags.ROLE);
    /** crossjobs' own Azure tags, the node addresses written after launch among them. */
    static final Set<String> AZURE_OWN = Set.of(CloudTags.MANAGED_BY, CloudTags.DEPLOYMENT, CloudTags.JOB_ID,
            CloudTags.CLUSTER, CloudTags.ATTEMPT, CloudTags.NODE_RANK, CloudTags.ROLE, CloudTags.NODE_IPS);

    static final int AWS_MAX_TAGS = 50;
    static final int GCP_MAX_LABELS = 64;
    static final int AZURE_MAX_TAGS = 50;

    /** Every problem of {@code labels} on {@code cloud} (aws, gcp or azure); empty when they can all be set. */
    public static List<Problem> check(String cloud, Map<String, String> labels) {
        List<Problem> problems = new ArrayList<>();
        switch (cloud) {
            case "aws" -> labels.forEach((k, v) -> aws(k, v, problems));
            case "gcp" -> labels.forEach((k, v) -> gcp(k, v, problems));
            case "azure" -> labels.forEach((k, v) -> azure(k, v, problems));
            default -> throw new IllegalArgumentException("unknown cloud " + cloud);
        }
        int own = own(cloud).size();
        int max = switch (cloud) {
            case "aws" -> AWS_MAX_TAGS;
            case "gcp" -> GCP_MAX_LABELS;
            default -> AZURE_MAX_TAGS;
        };
        if (labels.size() + own > max) {
            problems.add(new Problem(null, labels.size() + " labels are too many for " + name(cloud) + ": an instance "
                    + "takes at most " + max + " " + noun(cloud) + "s and crossjobs sets " + own + " of its own, so at "
                    + "most " + (max - own) + " labels"));
        }
        return problems;
    }

    private static void aws(String key, String value, List<Problem> problems) {
        String cloud = "aws";
        if (collides(cloud, key, problems)) return;
        if (key.isEmpty() || key.length() > 128) {
            problems.add(problem(cloud, key, "the key must be 1 to 128 characters"));
        } else if (!AWS_CHARS.matcher(key).matches()) {
            problems.add(problem(cloud, key, "the key may hold only letters, digits, spaces and + - = . _ : / @"));
        } else if (key.contains(" ") || key.contains("/") || key.equals(".") || key.equals("..")
                || key.equals("_index")) {
            // crossjobs turns on instance tags in the instance metadata (the nodes read their addresses there),
            // and such instances take no key with a space or '/', nor ".", ".." or "_index"
            problems.add(problem(cloud, key, "the key may not hold a space or '/', nor be \".\", \"..\" or \"_index\", "
                    + "as crossjobs' instances expose their tags in the instance metadata"));
        } else if (key.toLowerCase(Locale.ROOT).startsWith("aws:")) {
            problems.add(problem(cloud, key, "keys starting with 'aws:' are reserved for AWS"));
        }
        if (value.length() > 256) {
            problems.add(problem(cloud, key, "the value must be at most 256 characters"));
        } else if (!AWS_CHARS.matcher(value).matches()) {
            problems.add(problem(cloud, key, "the value may hold only letters, digits, spaces and + - = . _ : / @"));
        } else if (value.toLowerCase(Locale.ROOT).startsWith("aws:")) {
            problems.add(problem(cloud, key, "values starting with 'aws:' are reserved for AWS"));
        }
    }

    private static void gcp(String key, String value, List<Problem> problems) {
        String cloud = "gcp";
        if (collides(cloud, key, problems)) return;
        if (!GCP_KEY.matcher(key).matches()) {
            problems.add(problem(cloud, key, "the key must start with a lowercase letter and hold only lowercase "
                    + "letters, digits, '_' and '-', at most 63 characters"));
        }
        if (!GCP_VALUE.matcher(value).matches()) {
            problems.add(problem(cloud, key, "the value may hold only lowercase letters, digits, '_' and '-', at most "
                    + "63 characters"));
        }
    }

    private static void azure(String key, String value, List<Problem> problems) {
        String cloud = "azure";
        if (collides(cloud, key, problems)) return;
        if (key.isEmpty() || key.length() > 512) {
            problems.add(problem(cloud, key, "the name must be 1 to 512 characters"));
        } else if (key.chars().anyMatch(c -> "<>%&\\?/".indexOf(c) >= 0)) {
            problems.add(problem(cloud, key, "the name may not hold any of < > % & \\ ? /"));
        }
        if (value.length() > 256) problems.add(problem(cloud, key, "the value must be at most 256 characters"));
    }

    /** A key crossjobs sets itself: refused, since a label must not replace the tags crossjobs finds its VMs by. */
    private static boolean collides(String cloud, String key, List<Problem> problems) {
        // Azure tag names are case-insensitive; EC2 tag keys and GCE label keys are not
        boolean own = "azure".equals(cloud)
                ? own(cloud).stream().anyMatch(k -> k.equalsIgnoreCase(key))
                : own(cloud).contains(key);
        if (own) {
            problems.add(new Problem(key, "is the key of a " + noun(cloud) + " crossjobs sets on every " + name(cloud)
                    + " instance itself; choose another key"));
        }
        return own;
    }

    static Set<String> own(String cloud) {
        return switch (cloud) {
            case "aws" -> AWS_OWN;
            case "gcp" -> GCP_OWN;
            default -> AZURE_OWN;
        };
    }

    private static Problem problem(String cloud, String key, String what) {
        return new Problem(key, "is not a valid " + name(cloud) + " " + noun(cloud) + ": " + what);
    }

    private static String name(String cloud) {
        return switch (cloud) {
            case "aws" -> "AWS (EC2)";
            case "gcp" -> "GCP (Compute Engine)";
            default -> "Azure";
        };
    }

    private static String noun(String cloud) {
        return "gcp".equals(cloud) ? "label" : "tag";
    }

    private CloudLabelRules() { }
}

package io.crossjobs.provisioner;

import io.crossjobs.events.DeploymentId;
import io.crossjobs.events.OutputShipping;
import io.crossjobs.provisioner.model.ClusterKey;

import java.util.ArrayList;
import java.util.List;

/**
 * How nodes' output is laid out in an object store that takes one object per upload (S3, GCS): each chunk is an
 * object named by the byte offset it starts at, zero-padded so that key order is offset order, under a prefix of
 * its own per node. A reader lists from just before the offset it needs and reads the chunks that follow it
 * without a gap; a chunk shipped twice (an answer lost) overwrites itself with the same bytes.
 * <p>
 * Deployments sharing a bucket ({@link DeploymentId}) count their job ids each from 1, so a cluster's objects are
 * under its deployment: the default deployment's directly under {@link #ROOT} (where output of clusters launched
 * before deployments had ids is), another's under {@code ROOT + "deployment-<id>/"}. Job ids never start with
 * {@code deployment-} (they are numbers, or {@code controller-<hex>}), so no prefix of one holds another's.
 */
public final class OutputObjects {
    /** Everything crossjobs ships lives under this prefix of the bucket. */
    public static final String ROOT = "crossjobs-output/";
    /** Bytes one read returns at most, so a node that printed a lot is read over a few polls. */
    public static final int MAX_READ_BYTES = 8 * 1024 * 1024;
    private static final int OFFSET_DIGITS = 16;

    /** An object as listed: its key and size. */
    public record Listed(String key, long size) { }

    /** Bytes to read of one chunk: {@code length} bytes from byte {@code from} of object {@code key}. */
    public record Range(String key, long from, long length) { }

    /** The prefix of all chunks of every node of {@code cluster} of {@code deployment}. */
    public static String clusterPrefix(DeploymentId deployment, ClusterKey cluster) {
        return ROOT + (deployment.isDefault() ? "" : "deployment-" + deployment.value() + "/")
                + cluster.jobId() + "/" + cluster.attempt() + "/" + cluster.clusterName() + "/";
    }

    /** The prefix of node {@code rank}'s chunks. */
    public static String prefix(DeploymentId deployment, ClusterKey cluster, int rank) {
        return clusterPrefix(deployment, cluster) + rank + "/";
    }

    /**
     * The key node {@code rank}'s secrets wait under until the node fetches and deletes them (job-events
     * {@code SecretDelivery}): beside the node's chunks, not among them, and gone with the cluster's output.
     */
    public static String secretKey(DeploymentId deployment, ClusterKey cluster, int rank) {
        return clusterPrefix(deployment, cluster) + "secrets-" + rank;
    }

    /** The key of the chunk starting at byte {@code offset}; bash renders it as {@code "$prefix$(printf %016d "$2")"}. */
    public static String chunkKey(String prefix, long offset) {
        return prefix + String.format("%0" + OFFSET_DIGITS + "d", offset);
    }

    /** The printf format that renders a chunk's key suffix from its offset in bash. */
    public static String chunkKeyPrintf() {
        return "%0" + OFFSET_DIGITS + "d";
    }

    /**
     * Where to start listing for the chunks holding byte {@code offset} on (exclusive, as S3's {@code start-after});
     * null from the start. A chunk holding {@code offset} starts less than a chunk's size before it.
     */
    public static String listStartAfter(String prefix, long offset) {
        long before = offset - OutputShipping.MAX_CHUNK_BYTES;
        return before < 0 ? null : chunkKey(prefix, before);
    }

    /**
     * The ranges to read, in order, for the bytes from {@code offset} on: the listed chunks of {@code prefix} that
     * follow each other without a gap, at most {@code maxBytes} in all. Stops at a gap (a chunk not listed yet).
     */
    public static List<Range> toRead(String prefix, List<Listed> listed, long offset, long maxBytes) {
        List<Range> ranges = new ArrayList<>();
        long position = offset;
        long left = maxBytes;
        List<Listed> sorted = listed.stream().filter(l -> l.key().startsWith(prefix))
                .sorted((a, b) -> a.key().compareTo(b.key())).toList();
        for (Listed chunk : sorted) {
            if (left <= 0) break;
            long start = startOf(prefix, chunk.key());
            if (start < 0) continue;
            if (start + chunk.size() <= position) continue;
            if (start > position) break;
            long from = position - start;
            long length = Math.min(chunk.size() - from, left);
            ranges.add(new Range(chunk.key(), from, length));
            position += length;
            left -= length;
        }
        return ranges;
    }

    /** The offset a chunk key names, or -1 for a key that is not a chunk of {@code prefix}. */
    static long startOf(String prefix, String key) {
        String digits = key.substring(prefix.length());
        if (digits.length() != OFFSET_DIGITS || !digits.chars().allMatch(Character::isDigit)) return -1;
        return Long.parseLong(digits);
    }

    private OutputObjects() { }
}

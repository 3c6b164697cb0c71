package io.crossjobs.provisioner.service;

import io.crossjobs.provisioner.model.ClusterKey;
import io.crossjobs.provisioner.model.NodeOutput;
import jakarta.enterprise.context.ApplicationScoped;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;

/**
 * Masks a launch's opened secret values in its output before any of it is cut into log chunks, so
 * a run that prints a secret ships only {@code *}s. Each occurrence is replaced byte for byte by as many
 * {@code *}s, so output offsets (which job-api's log assembly relies on) stay exact; the length of a value
 * is therefore visible. Values shorter than {@link #MIN_MASKED_BYTES} are not masked (masking every "a" would
 * destroy the log and protect nothing).
 *
 * <p>The values live only in this process's memory, registered when the launch command is carried out. After
 * a provisioner restart the clusters it adopts from the cloud have no registered values, so their output is
 * shipped unmasked; {@link #knows} lets callers tell. A value with line breaks is masked line by line, so
 * line breaks stay where they were. A line of a value is masked where it appears whole within one output read
 * (the slicer takes whole lines, so it always does unless its line is longer than a chunk).
 */
@ApplicationScoped
public class SecretMasker {
    public static final int MIN_MASKED_BYTES = 4;

    private final Map<ClusterKey, List<byte[]>> values = new ConcurrentHashMap<>();

    /** Remembers the launch's plain secret values; an empty map registers nothing. */
    public void register(ClusterKey cluster, Map<String, String> plainSecrets) {
        Set<String> texts = new LinkedHashSet<>();
        for (String v : plainSecrets.values()) {
            if (v == null) continue;
            // line by line: masking never touches a line break, so the output is cut into the same lines
            // (and chunks) as the raw output
            for (String line : v.split("[\r\n]+")) {
                texts.add(line);
                texts.add(line.strip());
            }
        }
        List<byte[]> bytes = new ArrayList<>();
        for (String t : texts) {
            byte[] b = t.getBytes(StandardCharsets.UTF_8);
            if (b.length >= MIN_MASKED_BYTES) bytes.add(b);
        }
        if (bytes.isEmpty()) return;
        bytes.sort(Comparator.comparingInt((byte[] b) -> b.length).reversed());
        values.put(cluster, List.copyOf(bytes));
    }

    public boolean knows(ClusterKey cluster) {
        return values.containsKey(cluster);
    }

    /** The output with every registered value of the cluster replaced by as many {@code *} bytes. */
    public NodeOutput mask(ClusterKey cluster, NodeOutput out) {
        List<byte[]> secrets = values.get(cluster);
        if (secrets == null || out.data().length == 0) return out;
        byte[] data = out.data().clone();
        for (byte[] secret : secrets) maskAll(data, secret);
        return new NodeOutput(out.offset(), data);
    }

    /** Forgets the values of clusters the poller no longer follows. */
    public void retainOnly(Predicate<ClusterKey> followed) {
        values.keySet().removeIf(followed.negate());
    }

    private static void maskAll(byte[] data, byte[] secret) {
        outer:
        for (int i = 0; i + secret.length <= data.length; i++) {
            for (int j = 0; j < secret.length; j++) {
                if (data[i + j] != secret[j]) continue outer;
            }
            for (int j = 0; j < secret.length; j++) data[i + j] = '*';
            i += secret.length - 1;
        }
    }
}

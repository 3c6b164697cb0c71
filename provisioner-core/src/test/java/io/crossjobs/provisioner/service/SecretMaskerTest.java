package io.crossjobs.provisioner.service;

import io.crossjobs.provisioner.model.ClusterKey;
import io.crossjobs.provisioner.model.NodeOutput;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SecretMaskerTest {
    private static final ClusterKey CLUSTER = new ClusterKey("job-1", 1, "cj-1-1");
    private static final ClusterKey OTHER = new ClusterKey("job-2", 1, "cj-2-1");

    @Test
    void everyOccurrenceIsMaskedByteForByteSoOffsetsStay() {
        SecretMasker masker = new SecretMasker();
        masker.register(CLUSTER, Map.of("TOKEN", "hunter2-ß€", "SHORT", "ab", "PADDED", "  spaced-value \n"));
        String text = "token=hunter2-ß€ again hunter2-ß€\nab stays\nspaced-value!\n";
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);

        NodeOutput masked = masker.mask(CLUSTER, new NodeOutput(100, bytes));

        String out = new String(masked.data(), StandardCharsets.UTF_8);
        assertEquals(100, masked.offset());
        assertEquals(bytes.length, masked.data().length, "offsets of later output must not move");
        assertFalse(out.contains("hunter2"), out);
        assertFalse(out.contains("spaced-value"), out);
        assertTrue(out.startsWith("token=" + "*".repeat("hunter2-ß€".getBytes(StandardCharsets.UTF_8).length) + " again "),
                out);
        assertTrue(out.contains("ab stays"), "values under " + SecretMasker.MIN_MASKED_BYTES + " bytes are kept");
    }

    @Test
    void slicesOfAMaskedReadCarryNoSecret() {
        SecretMasker masker = new SecretMasker();
        masker.register(CLUSTER, Map.of("T", "s3cr3t-value"));
        byte[] bytes = "line one s3cr3t-value\nline two s3cr3t-value\nunfinished".getBytes(StandardCharsets.UTF_8);

        OutputSlicer.Result sliced = OutputSlicer.slice(masker.mask(CLUSTER, new NodeOutput(0, bytes)), 16);

        assertFalse(sliced.text().contains("s3cr3t"), sliced.text());
        assertEquals("line one s3cr3t-value\nline two s3cr3t-value\n".length(), sliced.nextOffset());
    }

    @Test
    void otherClustersAndForgottenClustersAreLeftAlone() {
        SecretMasker masker = new SecretMasker();
        masker.register(CLUSTER, Map.of("T", "s3cr3t-value"));
        NodeOutput out = new NodeOutput(0, "s3cr3t-value\n".getBytes(StandardCharsets.UTF_8));
        assertSame(out, masker.mask(OTHER, out));
        assertTrue(masker.knows(CLUSTER));

        masker.retainOnly(key -> !key.equals(CLUSTER));

        assertFalse(masker.knows(CLUSTER));
        assertSame(out, masker.mask(CLUSTER, out));
    }

    @Test
    void aValueWithLineBreaksIsMaskedLineByLineAndTheLinesStay() {
        SecretMasker masker = new SecretMasker();
        masker.register(CLUSTER, Map.of("PEM", "-----BEGIN KEY-----\nMIIBOgIBAAJBAKj34\r\n-----END KEY-----\n"));
        byte[] raw = "x\n-----BEGIN KEY-----\nMIIBOgIBAAJBAKj34\n-----END KEY-----\ny\n".getBytes(StandardCharsets.UTF_8);

        NodeOutput masked = masker.mask(CLUSTER, new NodeOutput(0, raw));

        String out = new String(masked.data(), StandardCharsets.UTF_8);
        assertFalse(out.contains("MIIB") || out.contains("BEGIN"), out);
        assertEquals(OutputSlicer.slice(new NodeOutput(0, raw), 8).slices().stream().map(OutputSlicer.Slice::offset).toList(),
                OutputSlicer.slice(masked, 8).slices().stream().map(OutputSlicer.Slice::offset).toList(),
                "the same chunks as the raw output");
        assertEquals(5, out.split("\n").length);
    }
}

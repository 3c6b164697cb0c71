package io.crossjobs.mockcloud.s3;

import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.zip.CRC32;
import java.util.zip.CRC32C;
import java.util.zip.Checksum;

/**
 * S3's additional checksums (x-amz-checksum-crc32, -crc32c, -crc64nvme, -sha1, -sha256): base64 of the big-endian
 * value. Source: docs.aws.amazon.com/AmazonS3/latest/userguide/checking-object-integrity.html.
 */
final class Checksums {
    static final List<String> ALGORITHMS = List.of("crc32", "crc32c", "crc64nvme", "sha1", "sha256");

    private Checksums() { }

    /** The header that carries an algorithm's value. */
    static String header(String algorithm) {
        return "x-amz-checksum-" + algorithm.toLowerCase(Locale.ROOT);
    }

    static String compute(String algorithm, InputStream in) throws IOException {
        String a = algorithm.toLowerCase(Locale.ROOT);
        byte[] buf = new byte[64 * 1024];
        int n;
        switch (a) {
            case "sha1", "sha256" -> {
                MessageDigest md;
                try {
                    md = MessageDigest.getInstance(a.equals("sha1") ? "SHA-1" : "SHA-256");
                } catch (NoSuchAlgorithmException e) {
                    throw new IllegalStateException(e);
                }
                while ((n = in.read(buf)) >= 0) md.update(buf, 0, n);
                return Base64.getEncoder().encodeToString(md.digest());
            }
            case "crc32", "crc32c" -> {
                Checksum crc = a.equals("crc32") ? new CRC32() : new CRC32C();
                while ((n = in.read(buf)) >= 0) crc.update(buf, 0, n);
                long v = crc.getValue();
                return Base64.getEncoder().encodeToString(new byte[] {(byte) (v >>> 24), (byte) (v >>> 16),
                        (byte) (v >>> 8), (byte) v});
            }
            case "crc64nvme" -> {
                Crc64Nvme crc = new Crc64Nvme();
                while ((n = in.read(buf)) >= 0) crc.update(buf, 0, n);
                long v = crc.value();
                byte[] out = new byte[8];
                for (int i = 0; i < 8; i++) out[i] = (byte) (v >>> (56 - 8 * i));
                return Base64.getEncoder().encodeToString(out);
            }
            default -> throw new IllegalArgumentException("unknown checksum algorithm " + algorithm);
        }
    }

    /** CRC-64/NVME: reflected polynomial 0x9A6C9329AC4BC9B5, initial value and final xor all ones. */
    static final class Crc64Nvme {
        private static final long[] TABLE = new long[256];

        static {
            for (int i = 0; i < 256; i++) {
                long c = i;
                for (int k = 0; k < 8; k++) c = (c & 1) != 0 ? (c >>> 1) ^ 0x9A6C9329AC4BC9B5L : c >>> 1;
                TABLE[i] = c;
            }
        }

        private long crc = -1L;

        void update(byte[] b, int off, int len) {
            for (int i = off; i < off + len; i++) crc = TABLE[(int) ((crc ^ b[i]) & 0xff)] ^ (crc >>> 8);
        }

        long value() {
            return ~crc;
        }
    }
}

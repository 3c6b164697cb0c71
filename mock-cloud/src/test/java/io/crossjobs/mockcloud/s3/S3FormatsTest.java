package io.crossjobs.mockcloud.s3;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;

import org.junit.jupiter.api.Test;

class S3FormatsTest {

    @Test
    void crc64NvmeCheckValue() {
        Checksums.Crc64Nvme crc = new Checksums.Crc64Nvme();
        byte[] b = "123456789".getBytes(StandardCharsets.US_ASCII);
        crc.update(b, 0, b.length);
        // the catalogued check value of CRC-64/NVME
        assertEquals(0xAE8B14860A799888L, crc.value());
    }

    @Test
    void crc32MatchesTheKnownCheckValue() throws IOException {
        // CRC-32 of "123456789" is 0xCBF43926
        assertEquals(java.util.Base64.getEncoder().encodeToString(HexFormat.of().parseHex("cbf43926")),
                Checksums.compute("crc32", new ByteArrayInputStream("123456789".getBytes(StandardCharsets.US_ASCII))));
    }

    @Test
    void awsChunkedDecodesDataAndTrailers() throws IOException {
        String body = "5;chunk-signature=ab\r\nhello\r\n6\r\n world\r\n0\r\nx-amz-checksum-crc32:AAAAAA==\r\n"
                + "x-amz-trailer-signature:cd\r\n\r\n";
        AwsChunkedInputStream in = new AwsChunkedInputStream(new ByteArrayInputStream(
                body.getBytes(StandardCharsets.UTF_8)));
        assertArrayEquals("hello world".getBytes(StandardCharsets.UTF_8), in.readAllBytes());
        assertEquals("AAAAAA==", in.trailers().get("x-amz-checksum-crc32"));
        AwsChunkedInputStream cut = new AwsChunkedInputStream(new ByteArrayInputStream(
                "5\r\nhel".getBytes(StandardCharsets.UTF_8)));
        assertThrows(AwsChunkedInputStream.MalformedChunkException.class, cut::readAllBytes);
    }

    @Test
    void bucketNames() {
        assertTrue(BucketNames.valid("crossjobs-out.eu-1"));
        for (String bad : new String[] {"ab", "a".repeat(64), "Ab1", "a_b", "a..b", "-ab", "ab-", "10.0.0.1",
                "xn--ab", "sthree-ab", "amzn-s3-demo-x", "ab-s3alias", "ab--ol-s3", "ab.mrap", "ab--x-s3",
                "ab--table-s3"}) {
            assertFalse(BucketNames.valid(bad), bad);
        }
    }

    @Test
    void ranges() {
        assertArrayEquals(new long[] {2, 5}, S3Api.range("bytes=2-5", 10));
        assertArrayEquals(new long[] {8, 9}, S3Api.range("bytes=8-100", 10));
        assertArrayEquals(new long[] {7, 9}, S3Api.range("bytes=-3", 10));
        assertArrayEquals(new long[] {0, 9}, S3Api.range("bytes=-30", 10));
        assertNull(S3Api.range("bytes=0-1,4-5", 10));
        assertNull(S3Api.range("items=0-1", 10));
        assertEquals("InvalidRange", assertThrows(S3Error.class, () -> S3Api.range("bytes=10-", 10)).code());
        assertEquals("InvalidRange", assertThrows(S3Error.class, () -> S3Api.range("bytes=0-", 0)).code());
    }

    @Test
    void canonicalUriEncodesOnceLikeS3() {
        assertEquals("/b/dir/a%20b%2Bc~.txt", PresignedRequests.canonicalUri("/b/dir/a%20b%2Bc~.txt"));
        assertEquals("/b/%C3%A9", PresignedRequests.canonicalUri("/b/%c3%a9"));
    }
}

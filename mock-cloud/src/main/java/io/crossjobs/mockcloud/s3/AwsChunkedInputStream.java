package io.crossjobs.mockcloud.s3;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;

/**
 * Decodes an {@code aws-chunked} body ({@code <hex size>[;chunk-signature=..]\r\n<data>\r\n ... 0\r\n<trailers>\r\n}),
 * the framing the SDKs use for streaming uploads with trailing checksums. Chunk signatures are read, not checked
 * (header-signed SDK calls are not verified). Source:
 * docs.aws.amazon.com/AmazonS3/latest/API/sigv4-streaming.html and .../sigv4-streaming-trailers.html.
 */
final class AwsChunkedInputStream extends InputStream {
    private final InputStream in;
    private final Map<String, String> trailers = S3Request.headerMap();
    private long remaining;
    private boolean first = true;
    private boolean done;

    AwsChunkedInputStream(InputStream in) {
        this.in = in;
    }

    /** The trailing headers (e.g. x-amz-checksum-crc32), complete once the stream is read to its end. */
    Map<String, String> trailers() {
        return trailers;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (done) return -1;
        if (remaining == 0) {
            if (!first) expectCrlf();
            first = false;
            String header = line();
            int semi = header.indexOf(';');
            try {
                remaining = Long.parseLong((semi < 0 ? header : header.substring(0, semi)).trim(), 16);
            } catch (NumberFormatException e) {
                throw new MalformedChunkException("bad chunk header: " + header);
            }
            if (remaining == 0) {
                readTrailers();
                done = true;
                return -1;
            }
        }
        int n = in.read(b, off, (int) Math.min(len, remaining));
        if (n < 0) throw new MalformedChunkException("body ends inside a chunk");
        remaining -= n;
        return n;
    }

    private void readTrailers() throws IOException {
        String line;
        while ((line = lineOrEnd()) != null && !line.isEmpty()) {
            int colon = line.indexOf(':');
            if (colon < 0) throw new MalformedChunkException("bad trailer: " + line);
            trailers.put(line.substring(0, colon).trim().toLowerCase(Locale.ROOT), line.substring(colon + 1).trim());
        }
    }

    private void expectCrlf() throws IOException {
        if (in.read() != '\r' || in.read() != '\n') throw new MalformedChunkException("chunk not ended by CRLF");
    }

    private String line() throws IOException {
        String l = lineOrEnd();
        if (l == null) throw new MalformedChunkException("body ends before the final chunk");
        return l;
    }

    /** One CRLF-terminated line, or null at the end of the stream. */
    private String lineOrEnd() throws IOException {
        StringBuilder sb = new StringBuilder();
        int c;
        while ((c = in.read()) >= 0) {
            if (c == '\r') {
                if (in.read() != '\n') throw new MalformedChunkException("CR without LF");
                return sb.toString();
            }
            if (sb.length() > 8192) throw new MalformedChunkException("chunk header too long");
            sb.append((char) c);
        }
        return sb.length() == 0 ? null : new String(sb.toString().getBytes(StandardCharsets.ISO_8859_1),
                StandardCharsets.UTF_8);
    }

    /** The body does not follow the aws-chunked framing. */
    static final class MalformedChunkException extends IOException {
        MalformedChunkException(String message) {
            super(message);
        }
    }
}

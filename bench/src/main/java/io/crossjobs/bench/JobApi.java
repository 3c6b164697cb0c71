package io.crossjobs.bench;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * job-api as the load generator sees it: submissions of simulated jobs, and nothing else. It shares the machine with
 * the stack it measures, so it is a plain HTTP/1.1 client on a fixed set of keep-alive connections (one request in
 * flight on each), with no JSON parsing: every CPU cycle it spends is taken from job-api and the rest of the line.
 * A submission waits in this client's queue when all connections are busy, and that wait counts in its latency.
 */
final class JobApi implements AutoCloseable {
    private final BlockingQueue<Request> queue = new LinkedBlockingQueue<>();
    private final Thread[] connections;
    private final InetSocketAddress address;
    private final String head;

    JobApi(int port, String token, int connections) {
        this.address = new InetSocketAddress("127.0.0.1", port);
        this.head = "POST /jobs HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nAuthorization: Bearer " + token
                + "\r\nContent-Type: application/json\r\nContent-Length: ";
        this.connections = new Thread[connections];
        for (int i = 0; i < connections; i++) {
            this.connections[i] = new Thread(this::serve, "bench-connection-" + i);
            this.connections[i].setDaemon(true);
            this.connections[i].start();
        }
    }

    /** A job whose (simulated) run lasts {@code runMillis} and exits 0, placed on AWS like most of a burst. */
    static String simulatedJob(String name, long runMillis) {
        return "{\"name\":\"" + name + "\",\"run\":\"echo simulated\",\"resources\":{\"cloud\":\"aws\"},"
                + "\"envs\":{\"CROSSJOBS_SIM_DURATION_MS\":\"" + runMillis + "\"}}";
    }

    /** A job no cloud's catalog can place: the controller fails its prechecks, nothing is launched. */
    static String infeasibleJob(String name) {
        return "{\"name\":\"" + name + "\",\"run\":\"true\",\"resources\":{\"cloud\":\"aws\",\"cpus\":\"4096+\"}}";
    }

    CompletableFuture<Accepted> submit(String body) {
        byte[] json = body.getBytes(StandardCharsets.UTF_8);
        byte[] request = (head + json.length + "\r\n\r\n" + body).getBytes(StandardCharsets.UTF_8);
        Request r = new Request(request, new CompletableFuture<>());
        queue.add(r);
        return r.answer;
    }

    private void serve() {
        Connection c = null;
        while (!Thread.currentThread().isInterrupted()) {
            Request r;
            try {
                r = queue.take();
            } catch (InterruptedException e) {
                break;
            }
            try {
                if (c == null) c = new Connection(address);
                r.answer.complete(c.exchange(r.bytes));
            } catch (IOException | RuntimeException e) {
                r.answer.complete(new Accepted(-1, null, null));
                if (c != null) c.close();
                c = null;
            }
        }
        if (c != null) c.close();
    }

    /** One keep-alive connection: writes a request, reads its response (Content-Length or chunked). */
    private static final class Connection {
        private final Socket socket;
        private final OutputStream out;
        private final InputStream in;

        Connection(InetSocketAddress address) throws IOException {
            socket = new Socket();
            socket.setTcpNoDelay(true);
            socket.connect(address, 10_000);
            socket.setSoTimeout(60_000);
            out = socket.getOutputStream();
            in = new BufferedInputStream(socket.getInputStream(), 16_384);
        }

        Accepted exchange(byte[] request) throws IOException {
            out.write(request);
            out.flush();
            String status = line();
            int code = Integer.parseInt(status.substring(9, 12));
            int length = -1;
            boolean chunked = false;
            for (String h = line(); !h.isEmpty(); h = line()) {
                String lower = h.toLowerCase(java.util.Locale.ROOT);
                if (lower.startsWith("content-length:")) length = Integer.parseInt(lower.substring(15).trim());
                if (lower.startsWith("transfer-encoding:") && lower.contains("chunked")) chunked = true;
            }
            String body = chunked ? chunkedBody() : new String(in.readNBytes(Math.max(0, length)),
                    StandardCharsets.UTF_8);
            if (code != 201) return new Accepted(code, null, null);
            return new Accepted(201, field(body, "id"), Instant.parse(field(body, "submittedAt")));
        }

        private String chunkedBody() throws IOException {
            StringBuilder body = new StringBuilder();
            for (int size = Integer.parseInt(line().trim(), 16); size > 0; size = Integer.parseInt(line().trim(), 16)) {
                body.append(new String(in.readNBytes(size), StandardCharsets.UTF_8));
                line();
            }
            line();
            return body.toString();
        }

        private String line() throws IOException {
            StringBuilder b = new StringBuilder();
            for (int ch = in.read(); ch != '\n'; ch = in.read()) {
                if (ch < 0) throw new IOException("connection closed");
                if (ch != '\r') b.append((char) ch);
            }
            return b.toString();
        }

        /** A top-level string field of job-api's compact JSON answer, without a JSON parser. */
        private static String field(String json, String name) {
            String key = "\"" + name + "\":\"";
            int start = json.indexOf(key);
            if (start < 0) throw new IllegalStateException("no " + name + " in " + json);
            start += key.length();
            return json.substring(start, json.indexOf('"', start));
        }

        void close() {
            try {
                socket.close();
            } catch (IOException ignored) {
                // already gone
            }
        }
    }

    @Override
    public void close() {
        for (Thread t : connections) t.interrupt();
    }

    private record Request(byte[] bytes, CompletableFuture<Accepted> answer) { }

    /** One answer: the HTTP status, and for a 201 the job's id and the time job-api stored it. */
    record Accepted(int status, String jobId, Instant submittedAt) {
        boolean ok() { return status == 201; }
    }
}

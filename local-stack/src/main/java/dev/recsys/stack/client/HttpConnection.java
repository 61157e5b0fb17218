package dev.recsys.stack.client;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * One keep-alive HTTP/1.1 connection driven by one thread, for load generation. Deliberately minimal: the
 * JDK's asynchronous HttpClient added 5 to 10 ms of its own thread hand-offs to every request on this
 * 2-core machine (measured against this class on the same server), which a latency benchmark must not
 * count as the server's.
 */
public final class HttpConnection implements AutoCloseable {

    private final Socket socket;
    private final OutputStream out;
    private final InputStream in;
    private final String host;
    private final StringBuilder line = new StringBuilder();

    public HttpConnection(URI base) throws IOException {
        socket = new Socket();
        socket.setTcpNoDelay(true);
        socket.setSoTimeout(30_000);
        socket.connect(new InetSocketAddress(base.getHost(), base.getPort()), 2000);
        out = socket.getOutputStream();
        in = new BufferedInputStream(socket.getInputStream(), 64 * 1024);
        host = base.getHost() + ":" + base.getPort();
    }

    /** Sends a JSON POST and reads the whole answer; returns the status code. */
    public int post(String path, byte[] json) throws IOException {
        return exchange(path, json, null);
    }

    /** A status and the body that came with it. */
    public record Response(int status, byte[] body) {
    }

    /** Sends a JSON POST and returns the answer with its body. */
    public Response postForBody(String path, byte[] json) throws IOException {
        var body = new java.io.ByteArrayOutputStream(512);
        int status = exchange(path, json, body);
        return new Response(status, body.toByteArray());
    }

    private int exchange(String path, byte[] json, java.io.ByteArrayOutputStream body) throws IOException {
        String head = "POST " + path + " HTTP/1.1\r\nHost: " + host + "\r\nContent-Type: application/json\r\n"
                + "Content-Length: " + json.length + "\r\n\r\n";
        out.write(head.getBytes(StandardCharsets.US_ASCII));
        out.write(json);
        out.flush();
        String status = readLine();
        int code = Integer.parseInt(status.substring(9, 12));
        long length = -1;
        boolean chunked = false;
        for (String h; !(h = readLine()).isEmpty();) {
            String lower = h.toLowerCase(Locale.ROOT);
            if (lower.startsWith("content-length:")) {
                length = Long.parseLong(lower.substring(15).trim());
            } else if (lower.startsWith("transfer-encoding:") && lower.contains("chunked")) {
                chunked = true;
            }
        }
        if (chunked) {
            for (long size; (size = Long.parseLong(readLine().trim(), 16)) > 0;) {
                read(size, body);
                readLine();
            }
            readLine();
        } else if (length > 0) {
            read(length, body);
        }
        return code;
    }

    /** Consumes n body bytes, keeping them in {@code body} if there is one. */
    private void read(long n, java.io.ByteArrayOutputStream body) throws IOException {
        if (body == null) {
            skip(n);
            return;
        }
        byte[] buffer = new byte[8192];
        while (n > 0) {
            int got = in.read(buffer, 0, (int) Math.min(buffer.length, n));
            if (got < 0) {
                throw new EOFException("connection closed mid-body");
            }
            body.write(buffer, 0, got);
            n -= got;
        }
    }

    private void skip(long n) throws IOException {
        while (n > 0) {
            long skipped = in.skip(n);
            if (skipped <= 0) {
                if (in.read() < 0) {
                    throw new EOFException("connection closed mid-body");
                }
                skipped = 1;
            }
            n -= skipped;
        }
    }

    private String readLine() throws IOException {
        line.setLength(0);
        for (int c; (c = in.read()) != '\n';) {
            if (c < 0) {
                throw new EOFException("connection closed");
            }
            if (c != '\r') {
                line.append((char) c);
            }
        }
        return line.toString();
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}

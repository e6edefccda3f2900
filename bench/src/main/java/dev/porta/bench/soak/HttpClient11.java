package dev.porta.bench.soak;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;

/**
 * One HTTP/1.1 connection of the soak, plain or TLS, from a chosen loopback address: writes raw requests and
 * reads responses by their framing (Content-Length, chunked, or none for 304/HEAD), so that the soak can
 * pipeline, trickle and abort as real clients do.
 */
final class HttpClient11 implements AutoCloseable {

    /** A response as read: status, headers (lower-case names) and body. */
    record Response(int status, Map<String, String> headers, byte[] body) {
        String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }
    }

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;

    private HttpClient11(Socket socket) throws IOException {
        this.socket = socket;
        this.in = new BufferedInputStream(socket.getInputStream(), 16384);
        this.out = socket.getOutputStream();
    }

    /** Connects to {@code port} on 127.0.0.1 from {@code local} (null: any), over TLS when {@code tls} is given. */
    static HttpClient11 open(int port, InetAddress local, SSLContext tls) throws IOException {
        Socket plain = new Socket();
        try {
            if (local != null) plain.bind(new InetSocketAddress(local, 0));
            plain.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 5000);
            plain.setSoTimeout(30_000);
            plain.setTcpNoDelay(true);
            if (tls == null) return new HttpClient11(plain);
            SSLSocket s = (SSLSocket) tls.getSocketFactory().createSocket(plain, "localhost", port, true);
            s.startHandshake();
            return new HttpClient11(s);
        } catch (IOException e) {
            plain.close();
            throw e;
        }
    }

    /** Writes bytes as they are. */
    void write(String raw) throws IOException {
        out.write(raw.getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
    }

    /** A GET with {@code extraHeaders} (each ending in CRLF). */
    static String get(String path, String extraHeaders) {
        return "GET " + path + " HTTP/1.1\r\nHost: localhost\r\nUser-Agent: porta-soak\r\n" + extraHeaders + "\r\n";
    }

    /** Reads one whole response to a request of {@code method}. */
    Response read(String method) throws IOException {
        return read(method, Long.MAX_VALUE, 0);
    }

    /**
     * Reads one response, its body at most {@code maxBody} bytes (the rest left unread) and pausing
     * {@code pauseMillis} after each 64 KiB (a slow reader).
     */
    Response read(String method, long maxBody, int pauseMillis) throws IOException {
        String statusLine = line();
        if (statusLine == null) throw new IOException("connection closed before a response");
        if (!statusLine.startsWith("HTTP/1.1 ")) throw new IOException("bad status line: " + statusLine);
        int status = Integer.parseInt(statusLine.substring(9, 12));
        Map<String, String> headers = new LinkedHashMap<>();
        for (String l; !(l = line()).isEmpty(); ) {
            int colon = l.indexOf(':');
            headers.put(l.substring(0, colon).strip().toLowerCase(Locale.ROOT), l.substring(colon + 1).strip());
        }
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        boolean noBody = method.equals("HEAD") || status == 304 || status == 204 || status / 100 == 1;
        if (!noBody) {
            if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
                readChunked(body);
            } else {
                String length = headers.get("content-length");
                long n = length == null ? -1 : Long.parseLong(length);
                copy(body, n, maxBody, pauseMillis);
            }
        }
        return new Response(status, headers, body.toByteArray());
    }

    private void copy(ByteArrayOutputStream body, long length, long maxBody, int pauseMillis) throws IOException {
        byte[] buf = new byte[65536];
        long left = length < 0 ? Long.MAX_VALUE : length;
        long kept = 0;
        while (left > 0 && kept < maxBody) {
            int n = in.read(buf, 0, (int) Math.min(buf.length, Math.min(left, maxBody - kept)));
            if (n < 0) {
                if (length < 0) return;
                throw new IOException("body cut short");
            }
            if (body.size() < (1 << 20)) body.write(buf, 0, Math.min(n, (1 << 20) - body.size()));
            left -= n;
            kept += n;
            if (pauseMillis > 0) sleep(pauseMillis);
        }
    }

    private void readChunked(ByteArrayOutputStream body) throws IOException {
        while (true) {
            String size = line();
            int semi = size.indexOf(';');
            long n = Long.parseLong((semi < 0 ? size : size.substring(0, semi)).strip(), 16);
            if (n == 0) {
                while (!line().isEmpty()) { /* trailers */ }
                return;
            }
            copy(body, n, Long.MAX_VALUE, 0);
            if (!line().isEmpty()) throw new IOException("chunk not followed by CRLF");
        }
    }

    private String line() throws IOException {
        StringBuilder sb = new StringBuilder();
        for (int c; (c = in.read()) >= 0; ) {
            if (c == '\n') {
                int len = sb.length();
                if (len > 0 && sb.charAt(len - 1) == '\r') sb.setLength(len - 1);
                return sb.toString();
            }
            sb.append((char) c);
            if (sb.length() > 16384) throw new IOException("line too long");
        }
        if (sb.isEmpty()) return null;
        throw new IOException("connection closed inside a line");
    }

    /** Closes with a reset (SO_LINGER 0), as a browser that gives up on a download does. */
    void abort() {
        try {
            socket.setSoLinger(true, 0);
        } catch (IOException ignored) {
            // closing anyway
        }
        close();
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // nothing to do: the soak counts what the server logged, not how the close went
        }
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

package dev.porta.server.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * A raw socket client for what a real HTTP client will not send: malformed requests, pipelining, slow
 * clients. Reads responses by their framing (Content-Length, chunked, or close).
 */
public final class RawClient implements AutoCloseable {

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;

    /** Connects to 127.0.0.1:{@code port}; every read times out after 10 s. */
    public RawClient(int port) throws IOException {
        this(port, null);
    }

    /** Connects from {@code localAddress} (e.g. 127.0.0.2), or the default when null. */
    public RawClient(int port, String localAddress) throws IOException {
        this("127.0.0.1", port, localAddress);
    }

    /** Connects to {@code host} (e.g. ::1) from {@code localAddress}, or the default when null. */
    public RawClient(String host, int port, String localAddress) throws IOException {
        socket = new Socket();
        if (localAddress != null) socket.bind(new InetSocketAddress(localAddress, 0));
        socket.connect(new InetSocketAddress(host, port), 5000);
        socket.setSoTimeout(10_000);
        in = socket.getInputStream();
        out = socket.getOutputStream();
    }

    /** Over a socket already connected (a TLS socket, say); every read times out after 10 s. */
    public RawClient(Socket connected) throws IOException {
        socket = connected;
        socket.setSoTimeout(10_000);
        in = socket.getInputStream();
        out = socket.getOutputStream();
    }

    /** One request sent, its whole response read. */
    public static String exchange(int port, String request) throws IOException {
        try (RawClient c = new RawClient(port)) {
            c.send(request);
            return c.readResponse();
        }
    }

    /** Sends {@code text} (ISO-8859-1) in one write. */
    public RawClient send(String text) throws IOException {
        return send(text.getBytes(StandardCharsets.ISO_8859_1));
    }

    /** Sends bytes in one write. */
    public RawClient send(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
        return this;
    }

    /** The socket, for timeouts and half-closes. */
    public Socket socket() {
        return socket;
    }

    /** Reads one response (head and body) as ISO-8859-1 text; a HEAD response has no body to read. */
    public String readResponse() throws IOException {
        return readResponse(false);
    }

    /** Reads one response; {@code head} when it answers a HEAD request. */
    public String readResponse(boolean head) throws IOException {
        String headText = readHead();
        if (headText.isEmpty()) return "";
        StringBuilder sb = new StringBuilder(headText);
        int status = Integer.parseInt(headText.substring(9, 12));
        if (status == 100) return headText + readResponse(head);
        String lower = headText.toLowerCase(Locale.ROOT);
        if (head || status == 204 || status == 304) return sb.toString();
        int cl = lower.indexOf("\r\ncontent-length:");
        if (cl >= 0) {
            int end = lower.indexOf("\r\n", cl + 2);
            long n = Long.parseLong(headText.substring(cl + 17, end).strip());
            sb.append(new String(in.readNBytes((int) n), StandardCharsets.ISO_8859_1));
        } else if (lower.contains("\r\ntransfer-encoding: chunked")) {
            while (true) {
                String sizeLine = readLine();
                int size = Integer.parseInt(sizeLine.strip(), 16);
                if (size == 0) {
                    readLine();
                    break;
                }
                sb.append(new String(in.readNBytes(size), StandardCharsets.ISO_8859_1));
                readLine();
            }
        } else {
            sb.append(new String(in.readAllBytes(), StandardCharsets.ISO_8859_1));
        }
        return sb.toString();
    }

    /** Reads until the peer closes; the text read. */
    public String readToEnd() throws IOException {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        try {
            in.transferTo(buf);
        } catch (SocketTimeoutException e) {
            buf.write("<timeout>".getBytes(StandardCharsets.ISO_8859_1));
        }
        return buf.toString(StandardCharsets.ISO_8859_1);
    }

    /** Whether the server has closed the connection (reads EOF or a reset within {@code millis}). */
    public boolean isClosedByServer(int millis) throws IOException {
        socket.setSoTimeout(millis);
        try {
            return in.read() < 0;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            return true;
        } finally {
            socket.setSoTimeout(10_000);
        }
    }

    private String readHead() throws IOException {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        int state = 0;
        int b;
        while ((b = in.read()) >= 0) {
            buf.write(b);
            state = switch (state) {
                case 0 -> b == '\r' ? 1 : 0;
                case 1 -> b == '\n' ? 2 : (b == '\r' ? 1 : 0);
                case 2 -> b == '\r' ? 3 : 0;
                case 3 -> b == '\n' ? 4 : 0;
                default -> 0;
            };
            if (state == 4) break;
        }
        return buf.toString(StandardCharsets.ISO_8859_1);
    }

    private String readLine() throws IOException {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) >= 0 && b != '\n') buf.write(b);
        return buf.toString(StandardCharsets.ISO_8859_1);
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}

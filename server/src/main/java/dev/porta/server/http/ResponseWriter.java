package dev.porta.server.http;

import dev.porta.spi.Body;
import dev.porta.spi.Headers;
import dev.porta.spi.Response;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes responses to one connection: the status line, the core's headers ({@code Date}, {@code Server},
 * framing, {@code Connection}) and the handler's, then the body — small ones in the same write as the
 * head, file regions zero-copy with {@code FileChannel.transferTo}, streams of unknown length chunked.
 */
public final class ResponseWriter {

    /** What {@code Server} says. */
    public static final String SERVER = "Porta";

    private static final byte[] CRLF = {'\r', '\n'};
    private static final byte[] CONTINUE = "HTTP/1.1 100 Continue\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] LAST_CHUNK = "0\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final int SMALL_BODY = 16 * 1024;

    private final OutputStream out;
    private final WritableByteChannel channel;
    private final WriteClock clock;
    private final HttpDate date;

    /**
     * What was sent, for observers.
     *
     * @param headers   every header field sent, the core's included
     * @param bodyBytes body bytes sent
     * @param mustClose whether the body was delimited by closing the connection
     */
    public record Sent(Headers headers, long bodyBytes, boolean mustClose) {
    }

    /**
     * @param out     the buffered stream to the client
     * @param channel the same socket as a channel, for zero-copy file regions
     * @param clock   told about each write to the channel
     * @param date    the shared {@code Date} cache
     */
    public ResponseWriter(OutputStream out, WritableByteChannel channel, WriteClock clock, HttpDate date) {
        this.out = out;
        this.channel = channel;
        this.clock = clock;
        this.date = date;
    }

    /** Sends {@code 100 Continue}. */
    public void writeContinue() throws IOException {
        out.write(CONTINUE);
        out.flush();
    }

    /**
     * Writes one response.
     *
     * @param response  what to send
     * @param headOnly  a HEAD request: headers as for GET, no body
     * @param keepAlive whether the connection stays open afterwards
     * @param http10    whether the request was HTTP/1.0 (no chunked coding)
     */
    public Sent write(Response response, boolean headOnly, boolean keepAlive, boolean http10) throws IOException {
        int status = response.status();
        Body body = response.body();
        boolean noBody = Status.forbidsBody(status);
        long length = noBody ? 0 : body.length();
        boolean chunked = !noBody && length < 0 && !http10 && !headOnly;
        boolean closeDelimited = !noBody && length < 0 && http10 && !headOnly;
        boolean close = !keepAlive || closeDelimited;

        List<String> sent = new ArrayList<>(response.headers().size() * 2 + 10);
        out.write(Status.line(status));
        boolean hasDate = response.headers().contains("Date");
        boolean hasServer = response.headers().contains("Server");
        if (!hasDate) header(sent, "Date", date.now());
        if (!hasServer) header(sent, "Server", SERVER);
        response.headers().forEach((name, value) -> {
            if (!isFramingHeader(name)) header(sent, name, value);
        });
        if (!noBody) {
            if (length >= 0) header(sent, "Content-Length", Long.toString(length));
            else if (chunked) header(sent, "Transfer-Encoding", "chunked");
        }
        if (close) header(sent, "Connection", "close");
        else if (http10) header(sent, "Connection", "keep-alive");
        out.write(CRLF);

        long bodyBytes = 0;
        if (noBody || headOnly) {
            closeQuietly(body);
        } else {
            bodyBytes = writeBody(body, chunked);
        }
        out.flush();
        return new Sent(Headers.ofList(sent), bodyBytes, close);
    }

    /** Whether a header line is made by the core alone (a handler's own is dropped). */
    private static boolean isFramingHeader(String name) {
        return name.equalsIgnoreCase("Content-Length") || name.equalsIgnoreCase("Transfer-Encoding")
                || name.equalsIgnoreCase("Connection");
    }

    private void header(List<String> sent, String name, String value) {
        try {
            out.write(name.getBytes(StandardCharsets.ISO_8859_1));
            out.write(':');
            out.write(' ');
            out.write(value.getBytes(StandardCharsets.ISO_8859_1));
            out.write(CRLF);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        sent.add(name);
        sent.add(value);
    }

    private long writeBody(Body body, boolean chunked) throws IOException {
        return switch (body) {
            case Body.Empty empty -> 0;
            case Body.Bytes bytes -> {
                byte[] b = bytes.bytes();
                if (b.length > SMALL_BODY) out.flush();
                out.write(b);
                yield b.length;
            }
            case Body.FileRegion region -> writeFile(region);
            case Body.Stream stream -> writeStream(stream, chunked);
        };
    }

    private long writeFile(Body.FileRegion region) throws IOException {
        out.flush();
        try (FileChannel file = FileChannel.open(region.file(), StandardOpenOption.READ)) {
            long position = region.offset();
            long end = region.offset() + region.length();
            ByteBuffer fallback = null;
            while (position < end) {
                long n;
                clock.writeStarted();
                try {
                    n = file.transferTo(position, end - position, channel);
                    if (n == 0) {
                        // transferTo made no progress (e.g. sendfile not possible here): copy through the heap.
                        if (fallback == null) fallback = ByteBuffer.allocate(64 * 1024);
                        fallback.clear().limit((int) Math.min(fallback.capacity(), end - position));
                        int read = file.read(fallback, position);
                        if (read < 0) throw new IOException("file " + region.file() + " became shorter while being sent");
                        fallback.flip();
                        while (fallback.hasRemaining()) channel.write(fallback);
                        n = read;
                    }
                } finally {
                    clock.writeEnded();
                }
                position += n;
            }
            return region.length();
        }
    }

    private long writeStream(Body.Stream stream, boolean chunked) throws IOException {
        long sent = 0;
        byte[] buf = new byte[16 * 1024];
        try (InputStream in = stream.in()) {
            int n;
            long limit = stream.length();
            while ((limit < 0 || sent < limit)
                    && (n = in.read(buf, 0, limit < 0 ? buf.length : (int) Math.min(buf.length, limit - sent))) >= 0) {
                if (n == 0) continue;
                if (chunked) {
                    out.write(Integer.toHexString(n).getBytes(StandardCharsets.US_ASCII));
                    out.write(CRLF);
                }
                out.write(buf, 0, n);
                if (chunked) out.write(CRLF);
                sent += n;
            }
            if (limit >= 0 && sent < limit) throw new IOException("stream body ended " + (limit - sent) + " bytes early");
        }
        if (chunked) out.write(LAST_CHUNK);
        return sent;
    }

    private static void closeQuietly(Body body) {
        if (body instanceof Body.Stream s) {
            try {
                s.in().close();
            } catch (IOException ignored) {
                // nothing was read from it
            }
        }
    }
}

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
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;

/**
 * Writes responses to one connection: the status line, the core's headers ({@code Date}, {@code Server},
 * framing, {@code Connection}) and the handler's, then the body — a small body in the same write as the
 * head, file regions zero-copy with {@code FileChannel.transferTo}, streams of unknown length chunked.
 * Under TLS there is no channel: every byte goes through the stream (file regions read into a buffer).
 * The head is encoded straight into a buffer of this connection's (constant parts are encoded once).
 */
public final class ResponseWriter {

    /** What {@code Server} says. */
    public static final String SERVER = "Porta";

    private static final byte[] CRLF = {'\r', '\n'};
    private static final byte[] CONTINUE = ascii("HTTP/1.1 100 Continue\r\n\r\n");
    private static final byte[] LAST_CHUNK = ascii("0\r\n\r\n");
    private static final byte[] DATE = ascii("Date: ");
    private static final byte[] SERVER_LINE = ascii("Server: " + SERVER + "\r\n");
    private static final byte[] CONTENT_LENGTH = ascii("Content-Length: ");
    private static final byte[] CHUNKED = ascii("Transfer-Encoding: chunked\r\n");
    private static final byte[] CLOSE = ascii("Connection: close\r\n");
    private static final byte[] KEEP_ALIVE = ascii("Connection: keep-alive\r\n");
    private static final int SMALL_BODY = 16 * 1024;
    /** What a file response writes by copy when sendfile finds the socket full, so as to wait for room. */
    private static final int WAIT_PIECE = 16 * 1024;
    /** The most of a large in-memory body given to one write. */
    private static final int BODY_PIECE = 256 * 1024;

    private final OutputStream out;
    private final WritableByteChannel channel;
    private final WriteClock clock;
    private final HttpDate date;
    /** The head (and a small body) being written; null between responses, so an idle connection holds none. */
    private byte[] buf;
    private int len;
    /** What the response being written sends, with no body bytes counted; null before the first. */
    private Sent current;
    /** Body bytes of the current response that the socket has taken. */
    private long bodySent;

    /**
     * What was sent.
     *
     * @param handlerHeaders the handler's header fields
     * @param date           the Date value the core added, or null
     * @param server         whether the core added Server
     * @param contentLength  the Content-Length the core added, or null
     * @param chunked        whether the body was chunked
     * @param close          whether the core sent Connection: close (then the connection must close)
     * @param http10         whether the request was HTTP/1.0
     * @param bodyBytes      body bytes sent
     */
    public record Sent(Headers handlerHeaders, String date, boolean server, String contentLength, boolean chunked,
                       boolean close, boolean http10, long bodyBytes) {

        /** Whether the connection must close after this response. */
        public boolean mustClose() {
            return close;
        }

        /** The same, with {@code bodyBytes} body bytes sent. */
        Sent withBodyBytes(long bodyBytes) {
            return new Sent(handlerHeaders, date, server, contentLength, chunked, close, http10, bodyBytes);
        }

        /** Every header field sent, the core's included (built when asked: only observers need it). */
        public Headers headers() {
            return sentHeaders(handlerHeaders, date, !server, contentLength, chunked, close, http10);
        }
    }

    /**
     * @param out     the stream to the client, unbuffered: this class does the buffering
     * @param channel the same socket as a channel, for zero-copy file regions; null when every byte must go
     *                through {@code out} (TLS)
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
        Headers headers = response.headers();
        boolean noBody = Status.forbidsBody(status);
        long length = noBody ? 0 : body.length();
        boolean chunked = !noBody && length < 0 && !http10 && !headOnly;
        boolean closeDelimited = !noBody && length < 0 && http10 && !headOnly;
        boolean close = !keepAlive || closeDelimited;

        current = null;
        // room for a usual head, and a small body that goes in the same write: one array, never grown for them
        buf = new byte[body instanceof Body.Bytes b && b.bytes().length <= SMALL_BODY ? 1024 + b.bytes().length : 1024];
        len = 0;
        put(Status.line(status));
        boolean hasDate = false;
        boolean hasServer = false;
        int n = headers.size();
        for (int i = 0; i < n; i++) {
            String name = headers.name(i);
            if (isFramingHeader(name)) continue;
            hasDate |= name.equalsIgnoreCase("Date");
            hasServer |= name.equalsIgnoreCase("Server");
            put(name);
            put((byte) ':');
            put((byte) ' ');
            put(headers.value(i));
            put(CRLF);
        }
        String now = hasDate ? null : date.now();
        if (now != null) {
            put(DATE);
            put(now);
            put(CRLF);
        }
        if (!hasServer) put(SERVER_LINE);
        String contentLength = null;
        if (!noBody) {
            if (length >= 0) {
                contentLength = Long.toString(length);
                put(CONTENT_LENGTH);
                put(contentLength);
                put(CRLF);
            } else if (chunked) {
                put(CHUNKED);
            }
        }
        if (close) put(CLOSE);
        else if (http10) put(KEEP_ALIVE);
        put(CRLF);

        current = new Sent(headers, now, !hasServer, contentLength, chunked, close, http10, 0);
        bodySent = 0;
        long bodyBytes = 0;
        if (noBody || headOnly) {
            closeQuietly(body);
            flushHead();
        } else {
            bodyBytes = writeBody(body, chunked);
        }
        return current.withBodyBytes(bodyBytes);
    }

    /**
     * What the last response sent so far: after a write failed (the client went away, a write timed out),
     * its status line and headers as they were to go out, and the body bytes the socket took. Null when no
     * response was begun on this connection.
     */
    public Sent sentSoFar() {
        return current == null ? null : current.withBodyBytes(bodySent);
    }

    /** The header fields as sent, for observers (built after the response left). */
    private static Headers sentHeaders(Headers headers, String now, boolean hasServer, String contentLength,
                                       boolean chunked, boolean close, boolean http10) {
        String[] all = new String[headers.size() * 2 + 10];
        int k = 0;
        for (int i = 0; i < headers.size(); i++) {
            if (isFramingHeader(headers.name(i))) continue;
            all[k++] = headers.name(i);
            all[k++] = headers.value(i);
        }
        if (now != null) {
            all[k++] = "Date";
            all[k++] = now;
        }
        if (!hasServer) {
            all[k++] = "Server";
            all[k++] = SERVER;
        }
        if (contentLength != null) {
            all[k++] = "Content-Length";
            all[k++] = contentLength;
        } else if (chunked) {
            all[k++] = "Transfer-Encoding";
            all[k++] = "chunked";
        }
        if (close) {
            all[k++] = "Connection";
            all[k++] = "close";
        } else if (http10) {
            all[k++] = "Connection";
            all[k++] = "keep-alive";
        }
        return Headers.of(Arrays.copyOf(all, k));
    }

    /** Whether a header line is made by the core alone (a handler's own is dropped). */
    private static boolean isFramingHeader(String name) {
        return name.equalsIgnoreCase("Content-Length") || name.equalsIgnoreCase("Transfer-Encoding")
                || name.equalsIgnoreCase("Connection");
    }

    private long writeBody(Body body, boolean chunked) throws IOException {
        return switch (body) {
            case Body.Empty empty -> {
                flushHead();
                yield 0;
            }
            case Body.Bytes bytes -> {
                byte[] b = bytes.bytes();
                if (b.length <= SMALL_BODY || channel == null) {
                    if (b.length <= SMALL_BODY) {
                        put(b, 0, b.length); // head and body in one write
                        flushHead();
                    } else {
                        writeThroughStream(b);
                    }
                    bodySent = b.length;
                } else {
                    writeGathering(b); // head and body in one writev, without copying the body
                }
                yield b.length;
            }
            case Body.FileRegion region -> {
                flushHead();
                try (FileChannel file = FileChannel.open(region.file(), StandardOpenOption.READ)) {
                    yield writeFile(file, region.file(), region.offset(), region.length());
                }
            }
            case Body.OpenFile open -> {
                try (FileChannel file = open.channel()) { // closed even when the head cannot be written
                    flushHead();
                    yield writeFile(file, open.file(), open.offset(), open.length());
                }
            }
            case Body.Stream stream -> {
                long n = writeStream(stream, chunked); // the head goes out with the first chunk
                yield n;
            }
            case Body.Generated generated -> {
                GeneratedBodyOutput out = new GeneratedBodyOutput(chunked, generated.length());
                generated.producer().writeTo(out);
                yield out.finish();
            }
        };
    }

    /**
     * The head and a large body, the head with the body's first piece in one writev. In pieces of at most
     * {@link #BODY_PIECE}: the JDK copies a heap buffer into a direct buffer of its size that the (virtual)
     * thread then keeps until it ends, so one write of a 2 MiB body would leave 2 MiB of native memory with
     * each connection that ever sent one.
     */
    private void writeGathering(byte[] body) throws IOException {
        ByteBuffer[] parts = {ByteBuffer.wrap(buf, 0, len), ByteBuffer.wrap(body, 0, Math.min(body.length, BODY_PIECE))};
        clock.writeStarted();
        try {
            while (parts[1].hasRemaining() || parts[1].limit() < body.length) {
                if (!parts[1].hasRemaining()) parts[1].limit(Math.min(body.length, parts[1].limit() + BODY_PIECE));
                if (channel instanceof java.nio.channels.GatheringByteChannel g) {
                    g.write(parts);
                } else {
                    for (ByteBuffer p : parts) {
                        while (p.hasRemaining()) channel.write(p);
                    }
                }
                if (parts[1].position() > bodySent) clock.writeStarted(); // progress: the client reads, however slowly
                bodySent = parts[1].position();
            }
        } finally {
            clock.writeEnded();
        }
        len = 0;
        buf = null;
    }

    /** The head, then a large body, through the stream (TLS: records of up to 16 KiB each). */
    private void writeThroughStream(byte[] body) throws IOException {
        int first = Math.min(body.length, SMALL_BODY);
        put(body, 0, first); // the head and the first piece in one record
        out.write(buf, 0, len);
        len = 0;
        bodySent = first;
        for (int off = first; off < body.length; off += SMALL_BODY) {
            int n = Math.min(SMALL_BODY, body.length - off);
            out.write(body, off, n);
            bodySent = off + n;
        }
        flushHead();
    }

    private void flushHead() throws IOException {
        out.write(buf, 0, len);
        out.flush();
        len = 0;
        buf = null;
    }

    /** {@code length} bytes of {@code file} (named {@code name}) from {@code offset}; the caller closes it. */
    private long writeFile(FileChannel file, Path name, long offset, long length) throws IOException {
        if (channel == null) return copyFile(file, name, offset, length);
        {
            long position = offset;
            long end = offset + length;
            ByteBuffer piece = null;
            while (position < end) {
                long n;
                clock.writeStarted();
                try {
                    n = file.transferTo(position, end - position, channel);
                    if (n == 0) {
                        // sendfile found the socket full: a virtual thread's socket is non-blocking underneath, and
                        // sendfile does not wait. A blocking write of a small piece does: it parks until the client
                        // has read, and the next sendfile finds room again. Small and on the heap: a direct buffer per
                        // response (256 KiB here once) was zeroed on every response, copied 256 KiB that sendfile
                        // would not have, and was only freed after a GC (at the JDK's limit, by System.gc()).
                        if (piece == null) piece = ByteBuffer.allocate(WAIT_PIECE);
                        piece.clear().limit((int) Math.min(WAIT_PIECE, end - position));
                        int read = file.read(piece, position);
                        if (read < 0) throw new IOException("file " + name + " became shorter while being sent");
                        piece.flip();
                        while (piece.hasRemaining()) {
                            if (channel.write(piece) > 0) clock.writeStarted(); // progress
                            bodySent = position - offset + piece.position();
                        }
                        n = read;
                    }
                } finally {
                    clock.writeEnded();
                }
                position += n;
                bodySent = position - offset;
            }
            return length;
        }
    }

    /** A file region read into a buffer and written through the stream (TLS cannot send from the file). */
    private long copyFile(FileChannel file, Path name, long offset, long length) throws IOException {
        ByteBuffer piece = ByteBuffer.allocate((int) Math.min(SMALL_BODY, Math.max(1, length)));
        long position = offset;
        long end = offset + length;
        while (position < end) {
            piece.clear().limit((int) Math.min(piece.capacity(), end - position));
            int read = file.read(piece, position);
            if (read < 0) throw new IOException("file " + name + " became shorter while being sent");
            out.write(piece.array(), 0, read);
            position += read;
            bodySent = position - offset;
        }
        out.flush();
        return length;
    }

    private long writeStream(Body.Stream stream, boolean chunked) throws IOException {
        long sent = 0;
        byte[] chunk = new byte[16 * 1024];
        try (InputStream in = stream.in()) {
            int n;
            long limit = stream.length();
            while ((limit < 0 || sent < limit)
                    && (n = in.read(chunk, 0, limit < 0 ? chunk.length : (int) Math.min(chunk.length, limit - sent))) >= 0) {
                if (n == 0) continue;
                if (chunked) {
                    put(Integer.toHexString(n));
                    put(CRLF);
                }
                put(chunk, 0, n);
                if (chunked) put(CRLF);
                out.write(buf, 0, len);
                len = 0;
                sent += n;
                bodySent = sent;
            }
            if (limit >= 0 && sent < limit) throw new IOException("stream body ended " + (limit - sent) + " bytes early");
        }
        if (chunked) put(LAST_CHUNK);
        flushHead();
        return sent;
    }

    /**
     * What a {@link Body.Producer} writes to: buffered up to a chunk, sent on {@code flush()} or when full,
     * chunked when the length is unknown; the head goes out with the first bytes.
     */
    private final class GeneratedBodyOutput extends OutputStream {
        private static final int CHUNK = 16 * 1024;
        private final boolean chunked;
        private final long length;
        private final byte[] pending = new byte[CHUNK];
        private int count;
        private long written;
        private boolean finished;

        GeneratedBodyOutput(boolean chunked, long length) {
            this.chunked = chunked;
            this.length = length;
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int n) throws IOException {
            if (finished) throw new IOException("the body was already finished");
            if (length >= 0 && written + count + n > length) {
                throw new IOException("a generated body wrote more than its length of " + length + " bytes");
            }
            while (n > 0) {
                int k = Math.min(n, CHUNK - count);
                System.arraycopy(b, off, pending, count, k);
                count += k;
                off += k;
                n -= k;
                if (count == CHUNK) send();
            }
        }

        @Override
        public void flush() throws IOException {
            if (!finished) send();
        }

        @Override
        public void close() {
            // the core ends the body; a producer's close must not
        }

        /** Sends what is pending (with the head, the first time). */
        private void send() throws IOException {
            if (count == 0 && buf == null) return;
            if (buf == null) {
                buf = new byte[count + 32];
                len = 0;
            }
            if (count > 0) {
                if (chunked) {
                    put(Integer.toHexString(count));
                    put(CRLF);
                }
                put(pending, 0, count);
                if (chunked) put(CRLF);
            }
            out.write(buf, 0, len);
            out.flush();
            len = 0;
            written += count;
            bodySent = written;
            count = 0;
        }

        /** Ends the body; the bytes written. */
        long finish() throws IOException {
            send();
            finished = true;
            if (length >= 0 && written < length) {
                throw new IOException("a generated body ended " + (length - written) + " bytes short of its length");
            }
            if (buf == null) buf = new byte[16];
            if (chunked) put(LAST_CHUNK);
            flushHead();
            return written;
        }
    }

    private void put(byte b) {
        ensure(1);
        buf[len++] = b;
    }

    private void put(byte[] bytes) {
        put(bytes, 0, bytes.length);
    }

    private void put(byte[] bytes, int off, int count) {
        ensure(count);
        System.arraycopy(bytes, off, buf, len, count);
        len += count;
    }

    /** Puts a header name or value: ISO-8859-1, one byte per char (checked by the pipeline). */
    @SuppressWarnings("deprecation")
    private void put(String s) {
        int n = s.length();
        ensure(n);
        s.getBytes(0, n, buf, len); // the deprecated Latin-1 copy is exactly the encoding wanted here
        len += n;
    }

    private void ensure(int more) {
        if (len + more > buf.length) buf = Arrays.copyOf(buf, Math.max(buf.length * 2, len + more));
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    private static void closeQuietly(Body body) {
        try {
            if (body instanceof Body.Stream s) s.in().close();
            if (body instanceof Body.OpenFile f) f.channel().close();
        } catch (IOException ignored) {
            // nothing was read from it
        }
    }
}

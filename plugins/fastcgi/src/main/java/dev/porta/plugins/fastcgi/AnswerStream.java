package dev.porta.plugins.fastcgi;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.function.Consumer;

/**
 * The application's STDOUT stream of one request, read record by record (by {@link AnswerSpool}'s pump, or
 * whole when small), so that an answer of any size passes through a fixed buffer. STDERR records met on the way go to the log, line
 * by line. At END_REQUEST the connection goes back to the pool; a stream closed before that (the client
 * went away, a HEAD, a cut) aborts the request and drops the connection.
 */
final class AnswerStream extends InputStream {

    /** A longer STDERR line is logged in pieces: PHP's messages are short, a runaway one must not fill memory. */
    private static final int MAX_LOG_LINE = 8 * 1024;

    private final FastCgiConnection connection;
    private final ConnectionPool pool;
    private final int requestId;
    private final Consumer<String> stderr;
    private final StringBuilder stderrLine = new StringBuilder();
    private final byte[] one = new byte[1];
    /** Content bytes of the current STDOUT record not read yet. */
    private int remaining;
    /** Padding after the current STDOUT record's content. */
    private int padding;
    /** END_REQUEST was read and the connection given back. */
    private boolean ended;
    /** Closed or failed before the end: the connection was dropped. */
    private boolean closed;
    /** A STDOUT record with content arrived. */
    private boolean started;

    AnswerStream(FastCgiConnection connection, ConnectionPool pool, int requestId, Consumer<String> stderr) {
        this.connection = connection;
        this.pool = pool;
        this.requestId = requestId;
        this.stderr = stderr;
    }

    @Override
    public int read() throws IOException {
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xFF;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (ended) return -1;
        if (closed) throw new IOException("answer stream closed");
        if (len == 0) return 0;
        if (!nextContent()) return -1;
        int n = connection.read(b, off, Math.min(len, remaining));
        if (n < 0) throw new IOException("PHP-FPM closed the connection inside a record");
        remaining -= n;
        if (remaining == 0 && padding > 0) {
            connection.skip(padding);
            padding = 0;
        }
        return n;
    }

    /**
     * Whether STDOUT has more bytes: reads records until one with content, or the end of the request. It
     * waits for PHP to write, so a handler that asks before answering learns whether the body is empty.
     */
    boolean hasMore() throws IOException {
        return nextContent();
    }

    /**
     * The STDOUT bytes that have already arrived, up to {@code limit}, without waiting for more: a small
     * page usually arrives whole with its END_REQUEST, and then {@link #ended()} is true.
     */
    byte[] readArrived(int limit) throws IOException {
        byte[] arrived = new byte[0]; // sized to what came: a hello-world answer is a few dozen bytes
        int size = 0;
        while (size < limit && !ended) {
            if (remaining == 0 && connection.buffered() < Record.HEADER_LENGTH) break;
            if (!nextContent()) break;
            int n = Math.min(Math.min(remaining, connection.buffered()), limit - size);
            if (n <= 0) break;
            if (arrived.length < size + n) arrived = Arrays.copyOf(arrived, size + n);
            size += read(arrived, size, n);
        }
        return size == arrived.length ? arrived : Arrays.copyOf(arrived, size);
    }

    /** Whether any STDOUT byte has been read: after that, the request is never sent again. */
    boolean started() {
        return started;
    }

    /** Whether the watchdog closed the connection for being too slow. */
    boolean expired() {
        return connection.expired();
    }

    /** Whether END_REQUEST was read (and the connection given back). */
    boolean ended() {
        return ended;
    }

    private boolean nextContent() throws IOException {
        while (remaining == 0) {
            if (ended) return false;
            Record r = connection.readHeader();
            if (r.requestId() != requestId) throw new IOException("record for request " + r.requestId() + ", expected " + requestId);
            switch (r.type()) {
                case Record.TYPE_STDOUT -> {
                    remaining = r.contentLength();
                    padding = r.paddingLength();
                    started |= remaining > 0;
                    if (remaining == 0) connection.skip(padding); // the end of STDOUT; END_REQUEST follows
                }
                case Record.TYPE_STDERR -> logStderr(r);
                case Record.TYPE_END_REQUEST -> endRequest(r);
                default -> connection.skip(r.contentLength() + r.paddingLength()); // unknown: ignored
            }
        }
        return true;
    }

    private void logStderr(Record r) throws IOException {
        byte[] content = connection.readContent(r.contentLength());
        connection.skip(r.paddingLength());
        for (char c : new String(content, StandardCharsets.UTF_8).toCharArray()) {
            if (c == '\n' || stderrLine.length() >= MAX_LOG_LINE) flushStderr();
            if (c != '\n') stderrLine.append(c);
        }
    }

    private void flushStderr() {
        if (!stderrLine.isEmpty()) stderr.accept(stderrLine.toString().strip());
        stderrLine.setLength(0);
    }

    private void endRequest(Record r) throws IOException {
        if (r.contentLength() < 8) throw new IOException("short END_REQUEST record");
        byte[] body = connection.readContent(8);
        connection.skip(r.contentLength() - body.length + r.paddingLength());
        flushStderr();
        ended = true;
        // protocolStatus is body[4]: anything but REQUEST_COMPLETE means FPM refused the request
        if (body[4] == Record.REQUEST_COMPLETE) pool.release(connection);
        else pool.discard(connection);
    }

    /** Ends the request early unless it already ended: an abort record, best effort, then the connection is dropped. */
    @Override
    public void close() {
        if (closed || ended) return;
        closed = true;
        flushStderr();
        try {
            connection.writeRecord(Record.TYPE_ABORT_REQUEST, requestId, new byte[0], 0, 0);
            connection.flush();
        } catch (IOException ignored) {
            // the connection is dropped below, which PHP-FPM also takes as the end of the request
        }
        pool.discard(connection);
    }

    /** Closes after a failure while reading: the connection is out of step, never reused. */
    void fail() {
        if (closed || ended) return;
        closed = true;
        pool.discard(connection);
    }
}

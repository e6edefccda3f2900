package dev.porta.server.http;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/**
 * The bytes arriving on one connection, with a buffer of our own so that the head can be parsed in place
 * and pipelined requests stay in it. Every read is bounded: lines by a length limit, waits by a timeout
 * or a deadline.
 */
public final class HttpInput {

    /** Small on purpose: an idle keep-alive connection holds only this; a request grows it as needed. */
    private static final int INITIAL = 512;

    /**
     * Told when a blocking read starts and ends, so that a watchdog can cut off a read that passes its
     * deadline (by shutting the input down: the read then ends as if the stream had ended). Deadlines are
     * kept this way rather than as socket timeouts because a timed read costs a virtual thread a timer
     * for every read, which cut the throughput of small requests by more than half.
     */
    public interface ReadClock {
        /** No deadlines (for parsing bytes in memory). */
        ReadClock NONE = new ReadClock() {
            @Override
            public void readStarted(long deadlineNanos) {
            }

            @Override
            public void readEnded() {
            }

            @Override
            public boolean expired() {
                return false;
            }
        };

        /** A read begins that must end by {@code deadlineNanos} ({@link System#nanoTime()}; 0: no deadline). */
        void readStarted(long deadlineNanos);

        /**
         * A read within a request (its head or its body) begins, which must end by {@code deadlineNanos}: past
         * it the client is answered (408), so the read must end in a way that leaves the connection able to
         * send that answer (under TLS, shutting the input down makes JSSE close the socket).
         */
        default void requestReadStarted(long deadlineNanos) {
            readStarted(deadlineNanos);
        }

        /** The read ended. */
        void readEnded();

        /** Whether a deadline passed and the input was cut off. */
        boolean expired();
    }

    private final InputStream in;
    private final ReadClock clock;
    private byte[] buf = new byte[INITIAL];
    private int pos;
    private int end;
    private int lineStart;
    private long deadlineNanos;
    private long timeoutNanos;
    private int timeoutStatus;

    /** Reads from {@code in}, telling {@code clock} about each blocking read. */
    public HttpInput(InputStream in, ReadClock clock) {
        this.in = in;
        this.clock = clock;
    }

    /**
     * Every read from now on must finish by {@code deadlineNanos} ({@link System#nanoTime()}); past it,
     * an {@link HttpException} with {@code status}.
     */
    public void deadline(long deadlineNanos, int status) {
        this.deadlineNanos = deadlineNanos;
        this.timeoutNanos = 0;
        this.timeoutStatus = status;
    }

    /** Each read from now on may wait {@code millis}; longer, an {@link HttpException} with {@code status}. */
    public void timeout(int millis, int status) {
        this.deadlineNanos = 0;
        this.timeoutNanos = millis * 1_000_000L;
        this.timeoutStatus = status;
    }

    /** Whether bytes of a next request are already buffered (pipelining). */
    public boolean hasBuffered() {
        return pos < end;
    }

    /**
     * Waits for the first byte of the next request for at most {@code millis}.
     *
     * @return false if the peer closed the connection or nothing came in time
     */
    public boolean awaitData(int millis) throws IOException {
        if (pos < end) return true;
        compact();
        clock.readStarted(System.nanoTime() + millis * 1_000_000L);
        int n;
        try {
            n = in.read(buf, end, buf.length - end);
        } catch (IOException e) {
            if (clock.expired()) return false; // TLS reports the cut-off input as an error
            throw e;
        } finally {
            clock.readEnded();
        }
        if (n <= 0) return false; // closed by the client, or idle too long
        end += n;
        return true;
    }

    /**
     * Reads one line ending in LF (a CR before it is dropped). The line is then in {@link #buffer()} from
     * {@link #lineStart()} for the returned length, until the next read.
     *
     * @param max           the longest line allowed, without its end
     * @param tooLongStatus the status of the {@link HttpException} for a longer line
     * @return the length, or -1 if the stream ended before any byte of the line
     */
    public int readLine(int max, int tooLongStatus) throws IOException {
        int scanned = 0; // bytes after pos already known to hold no LF
        while (true) {
            for (int i = pos + scanned; i < end; i++) {
                if (buf[i] == '\n') {
                    lineStart = pos;
                    int len = i - pos;
                    pos = i + 1;
                    if (len > 0 && buf[lineStart + len - 1] == '\r') len--;
                    if (len > max) throw new HttpException(tooLongStatus, Status.reason(tooLongStatus));
                    return len;
                }
            }
            scanned = end - pos;
            if (scanned > max + 1) throw new HttpException(tooLongStatus, Status.reason(tooLongStatus));
            if (end == buf.length) {
                compact();
                if (end == buf.length) {
                    buf = Arrays.copyOf(buf, Math.max(buf.length + 1, Math.min(buf.length * 2, max + 2)));
                }
            }
            if (fill() < 0) {
                if (end == pos) return -1;
                throw new HttpException(400, "Bad Request", "connection closed in the middle of a line");
            }
        }
    }

    /**
     * Reads one line that must end in CRLF and hold no other CR (RFC 9112 §7.1: chunk-size lines, the end
     * of chunk data, trailer lines). A bare LF or CR is a 400.
     *
     * @see #readLine(int, int)
     */
    public int readCrlfLine(int max, int tooLongStatus) throws IOException {
        int len = readLine(max, tooLongStatus);
        if (len < 0) return len;
        if (buf[lineStart + len] != '\r') throw new HttpException(400, "Bad Request", "line ends in a bare LF");
        for (int i = lineStart; i < lineStart + len; i++) {
            if (buf[i] == '\r') throw new HttpException(400, "Bad Request", "bare CR in a line");
        }
        return len;
    }

    /** The buffer that holds the last line read. */
    public byte[] buffer() {
        return buf;
    }

    /** Where the last line read starts in {@link #buffer()}. */
    public int lineStart() {
        return lineStart;
    }

    /** Reads one byte, or -1 at the end of the stream. */
    public int read() throws IOException {
        if (pos == end) {
            compact();
            if (fill() < 0) return -1;
        }
        return buf[pos++] & 0xff;
    }

    /** Reads up to {@code len} bytes; -1 at the end of the stream. */
    public int read(byte[] dst, int off, int len) throws IOException {
        if (len == 0) return 0;
        if (pos == end) {
            compact();
            if (fill() < 0) return -1;
        }
        int n = Math.min(len, end - pos);
        System.arraycopy(buf, pos, dst, off, n);
        pos += n;
        return n;
    }

    /** Gives back a grown buffer once it holds nothing, so that an idle connection stays small. */
    public void shrink() {
        if (buf.length > INITIAL && pos == end) {
            buf = new byte[INITIAL];
            pos = end = 0;
        }
    }

    private void compact() {
        if (pos == end) {
            pos = end = 0;
        } else if (pos > 0) {
            System.arraycopy(buf, pos, buf, 0, end - pos);
            end -= pos;
            pos = 0;
        }
    }

    private int fill() throws IOException {
        long deadline = deadlineNanos;
        if (deadline != 0) {
            if (System.nanoTime() - deadline >= 0) throw new HttpException(timeoutStatus, Status.reason(timeoutStatus), "read deadline passed");
        } else if (timeoutNanos > 0) {
            deadline = System.nanoTime() + timeoutNanos;
        }
        clock.requestReadStarted(deadline);
        int n;
        try {
            n = in.read(buf, end, buf.length - end);
        } catch (IOException e) {
            if (!clock.expired()) throw e;
            n = -1; // TLS reports the cut-off input as an error
        } finally {
            clock.readEnded();
        }
        if (n > 0) end += n;
        if (n < 0 && clock.expired()) throw new HttpException(timeoutStatus, Status.reason(timeoutStatus), "read timed out");
        return n;
    }
}

package dev.porta.server.http;

import java.io.IOException;
import java.io.InputStream;

/**
 * A request body read from the connection. What the handler leaves unread is drained after the response,
 * so that the next request on the connection starts where it should; a framing error makes the
 * connection close instead.
 */
public abstract class RequestBody extends InputStream {

    /** A body of no bytes. */
    public static final RequestBody EMPTY = new RequestBody() {
        @Override
        public int read(byte[] b, int off, int len) {
            return -1;
        }

        @Override
        public boolean drain(long maxBytes) {
            return true; // nothing to drop
        }

        @Override
        public boolean isFinished() {
            return true;
        }
    };

    private final byte[] one = new byte[1];

    @Override
    public int read() throws IOException {
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public abstract int read(byte[] b, int off, int len) throws IOException;

    /**
     * Reads and drops what is left of the body, up to {@code maxBytes}.
     *
     * @return whether the body was drained to its end (false: more than {@code maxBytes} were left)
     */
    public boolean drain(long maxBytes) throws IOException {
        if (isFinished()) return true;
        byte[] skip = new byte[8192];
        long dropped = 0;
        int n;
        while ((n = read(skip, 0, skip.length)) >= 0) {
            dropped += n;
            if (dropped > maxBytes) return false;
        }
        return true;
    }

    /** Whether every byte of the body has been read (then there is nothing to drain). */
    public boolean isFinished() {
        return false;
    }

    @Override
    public void close() {
        // the connection owns the stream; what is left is drained after the response
    }
}

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

    /**
     * The answer to a connection that failed while its body arrived (a client that reset it, or closed it
     * under TLS without close_notify): the client's failure, like a body cut short, so a 400 as at the end
     * of the stream. Unchecked, it passes through plugins that catch {@link IOException}, and the pipeline
     * does not take it for theirs. A read past its deadline is no such failure: {@link HttpInput} makes it a 408.
     */
    static HttpException connectionFailed(IOException e) {
        return new HttpException(400, "Bad Request", "connection failed inside the body: " + e);
    }

    @Override
    public void close() {
        // the connection owns the stream; what is left is drained after the response
    }
}

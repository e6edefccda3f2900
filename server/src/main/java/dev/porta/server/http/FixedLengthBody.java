package dev.porta.server.http;

import java.io.IOException;

/** A body of exactly {@code Content-Length} bytes. */
public final class FixedLengthBody extends RequestBody {

    private final HttpInput in;
    private long remaining;

    /** A body of {@code length} bytes read from {@code in}. */
    public FixedLengthBody(HttpInput in, long length) {
        this.in = in;
        this.remaining = length;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (remaining == 0) return -1;
        int n;
        try {
            n = in.read(b, off, (int) Math.min(len, remaining));
        } catch (IOException e) {
            throw connectionFailed(e);
        }
        if (n < 0) throw new HttpException(400, "Bad Request", "body ended before Content-Length");
        remaining -= n;
        return n;
    }

    @Override
    public boolean isFinished() {
        return remaining == 0;
    }

    @Override
    public int available() {
        return 0;
    }
}

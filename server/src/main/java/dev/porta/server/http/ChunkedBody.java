package dev.porta.server.http;

import java.io.IOException;

/**
 * A body in chunked transfer coding (RFC 9112 §7.1): hex size lines (extensions ignored), data, CRLF,
 * a last chunk of size 0 and trailer fields, which are read and dropped. Bad framing is a 400; more data
 * than the limit is a 413.
 */
public final class ChunkedBody extends RequestBody {

    private static final int MAX_SIZE_LINE = 4096;

    private final HttpInput in;
    private final long maxBytes;
    private final int maxTrailerBytes;
    private long chunkLeft;
    private long total;
    private boolean done;
    private boolean started;

    /** A chunked body from {@code in} of at most {@code maxBytes} data bytes. */
    public ChunkedBody(HttpInput in, long maxBytes, int maxTrailerBytes) {
        this.in = in;
        this.maxBytes = maxBytes;
        this.maxTrailerBytes = maxTrailerBytes;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (done) return -1;
        if (chunkLeft == 0) {
            if (started) expectLineEnd();
            started = true;
            chunkLeft = readSize();
            if (chunkLeft == 0) {
                readTrailers();
                done = true;
                return -1;
            }
            total += chunkLeft;
            if (total > maxBytes) throw new HttpException(413, "Content Too Large");
        }
        int n = in.read(b, off, (int) Math.min(len, chunkLeft));
        if (n < 0) throw bad("body ended inside a chunk");
        chunkLeft -= n;
        return n;
    }

    @Override
    protected boolean isFinished() {
        return done;
    }

    private void expectLineEnd() throws IOException {
        int len = in.readLine(0, 400);
        if (len != 0) throw bad("chunk data not followed by CRLF");
    }

    private long readSize() throws IOException {
        int len = in.readLine(MAX_SIZE_LINE, 400);
        if (len < 0) throw bad("body ended before the last chunk");
        byte[] b = in.buffer();
        int start = in.lineStart();
        long size = 0;
        int i = start;
        int end = start + len;
        while (i < end) {
            int d = Character.digit(b[i], 16);
            if (d < 0) break;
            if (size > (Long.MAX_VALUE >> 4)) throw bad("chunk size too large");
            size = (size << 4) | d;
            i++;
        }
        if (i == start) throw bad("invalid chunk size");
        while (i < end && (b[i] == ' ' || b[i] == '\t')) i++;
        if (i < end && b[i] != ';') throw bad("invalid chunk size");
        return size;
    }

    private void readTrailers() throws IOException {
        int budget = maxTrailerBytes;
        while (true) {
            int len = in.readLine(budget, 431);
            if (len < 0) throw bad("body ended in the trailer");
            if (len == 0) return;
            budget -= len + 2;
            if (budget < 0) throw new HttpException(431, "Request Header Fields Too Large");
        }
    }

    private static HttpException bad(String detail) {
        return new HttpException(400, "Bad Request", detail);
    }
}

package dev.porta.server.http;

import java.io.IOException;

/**
 * A body in chunked transfer coding (RFC 9112 §7.1): hex size lines, data, CRLF, a last chunk of size 0
 * and trailer fields, which are read and dropped. Every line ends in CRLF; chunk extensions are checked
 * against their grammar and then ignored, and their bytes count toward the body limit (so that a client
 * cannot send unlimited bytes as extensions). Bad framing is a 400; more than the limit is a 413.
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
        try {
            return readChunked(b, off, len);
        } catch (IOException e) {
            throw connectionFailed(e); // every IOException here is the connection's: framing errors are HttpExceptions
        }
    }

    private int readChunked(byte[] b, int off, int len) throws IOException {
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
    public boolean isFinished() {
        return done;
    }

    private void expectLineEnd() throws IOException {
        int len = in.readCrlfLine(0, 400);
        if (len != 0) throw bad("chunk data not followed by CRLF");
    }

    private long readSize() throws IOException {
        int len = in.readCrlfLine(MAX_SIZE_LINE, 400);
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
        if (i < end) {
            checkExtensions(b, i, end);
            total += end - i;
            if (total > maxBytes) throw new HttpException(413, "Content Too Large");
        }
        return size;
    }

    /** {@code *( BWS ";" BWS name [ BWS "=" BWS ( token / quoted-string ) ] )} over {@code b[i, end)}. */
    private static void checkExtensions(byte[] b, int i, int end) {
        while (i < end) {
            i = skipWhiteSpace(b, i, end);
            if (i >= end || b[i] != ';') throw bad("invalid chunk extension");
            i = skipWhiteSpace(b, i + 1, end);
            int name = i;
            i = skipToken(b, i, end);
            if (i == name) throw bad("chunk extension without a name");
            int afterName = i;
            i = skipWhiteSpace(b, i, end);
            if (i < end && b[i] == '=') {
                i = skipWhiteSpace(b, i + 1, end);
                int value = i;
                i = i < end && b[i] == '"' ? skipQuotedString(b, i, end) : skipToken(b, i, end);
                if (i == value) throw bad("chunk extension without a value after =");
            } else {
                i = afterName; // white space only before the next ';'
            }
        }
    }

    private static int skipWhiteSpace(byte[] b, int i, int end) {
        while (i < end && (b[i] == ' ' || b[i] == '\t')) i++;
        return i;
    }

    private static int skipToken(byte[] b, int i, int end) {
        while (i < end && ListField.isTchar(b[i])) i++;
        return i;
    }

    /** Past a quoted-string starting at {@code b[i] == '"'} (RFC 9110 §5.6.4). */
    private static int skipQuotedString(byte[] b, int i, int end) {
        i++;
        while (i < end) {
            int c = b[i] & 0xff;
            if (c == '"') return i + 1;
            if (c == '\\') {
                if (i + 1 >= end || !quotable(b[i + 1] & 0xff)) throw bad("invalid quoted-pair in a chunk extension");
                i += 2;
            } else if (quotable(c)) {
                i++;
            } else {
                throw bad("invalid character in a chunk extension");
            }
        }
        throw bad("unterminated quoted-string in a chunk extension");
    }

    /** HTAB, SP, visible ASCII and obs-text. */
    private static boolean quotable(int c) {
        return c == '\t' || (c >= 0x20 && c != 0x7f);
    }

    private void readTrailers() throws IOException {
        int budget = maxTrailerBytes;
        while (true) {
            int len = in.readCrlfLine(budget, 431);
            if (len < 0) throw bad("body ended in the trailer");
            if (len == 0) return;
            budget -= len + 2;
            if (budget < 0) throw new HttpException(431, "Request Header Fields Too Large");
            RequestHeadParser.checkField(in.buffer(), in.lineStart(), len);
        }
    }

    private static HttpException bad(String detail) {
        return new HttpException(400, "Bad Request", detail);
    }
}

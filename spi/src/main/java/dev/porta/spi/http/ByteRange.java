package dev.porta.spi.http;

/**
 * One satisfiable range of bytes, both ends inclusive, as {@link ByteRanges} resolves it against a length:
 * {@code bytes=-3} of 10 bytes is {@code ByteRange(7, 9)}.
 *
 * <p>A record because it is a pure value that will never grow: a range is its two ends.
 *
 * @param first the offset of the first byte, 0 or more
 * @param last  the offset of the last byte, {@code first} or more
 */
public record ByteRange(long first, long last) {

    /**
     * A range from {@code first} to {@code last}.
     *
     * @throws IllegalArgumentException if {@code first} is negative or {@code last} below it
     */
    public ByteRange {
        if (first < 0 || last < first) throw new IllegalArgumentException("not a byte range: " + first + "-" + last);
    }

    /** The number of bytes in the range: {@code last - first + 1}. */
    public long length() {
        return last - first + 1;
    }

    /**
     * The {@code Content-Range} value of this range of a representation of {@code completeLength} bytes
     * (RFC 9110 §14.4): {@code bytes 7-9/10}.
     */
    public String contentRange(long completeLength) {
        return "bytes " + first + "-" + last + "/" + completeLength;
    }
}

package dev.porta.plugins.staticindex;

import dev.porta.spi.http.ByteRange;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** A {@code multipart/byteranges} body (RFC 9110 §14.6) read straight from the file, with its exact length. */
final class MultipartRanges extends InputStream {

    private final Path file;
    private final List<Object> parts = new ArrayList<>(); // byte[] or ByteRange
    private final long length;
    private final FileChannel channel;
    private int part;
    private long offsetInPart;

    /** Reads from {@code channel} (opened as {@code file}), which it closes when it is closed. */
    MultipartRanges(Path file, FileChannel channel, List<ByteRange> ranges, String boundary, String contentType, long fileLength) {
        this.file = file;
        this.channel = channel;
        long total = 0;
        for (ByteRange r : ranges) {
            byte[] head = ("\r\n--" + boundary + "\r\nContent-Type: " + contentType + "\r\nContent-Range: "
                    + r.contentRange(fileLength) + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
            parts.add(head);
            parts.add(r);
            total += head.length + r.length();
        }
        byte[] tail = ("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.US_ASCII);
        parts.add(tail);
        this.length = total + tail.length;
    }

    /** The exact number of bytes this stream yields. */
    long length() {
        return length;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        while (part < parts.size()) {
            Object p = parts.get(part);
            if (p instanceof byte[] bytes) {
                if (offsetInPart < bytes.length) {
                    int n = (int) Math.min(len, bytes.length - offsetInPart);
                    System.arraycopy(bytes, (int) offsetInPart, b, off, n);
                    offsetInPart += n;
                    return n;
                }
            } else {
                ByteRange r = (ByteRange) p;
                if (offsetInPart < r.length()) {
                    int n = channel.read(ByteBuffer.wrap(b, off, (int) Math.min(len, r.length() - offsetInPart)), r.first() + offsetInPart);
                    if (n < 0) throw new IOException(file + " became shorter while being sent");
                    offsetInPart += n;
                    return n;
                }
            }
            part++;
            offsetInPart = 0;
        }
        return -1;
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}

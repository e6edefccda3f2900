package dev.porta.plugins.fastcgi;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;

/**
 * The 8-byte header of a FastCGI record (FastCGI 1.0 specification, section 3.3): version, type, request
 * id, content length and padding length. The content and padding follow it on the wire.
 *
 * @param type          the record type, one of the {@code TYPE_} constants
 * @param requestId     the request the record belongs to (0 for management records)
 * @param contentLength 0 to {@link #MAX_CONTENT} bytes of content after the header
 * @param paddingLength 0 to 255 bytes of padding after the content
 */
record Record(int type, int requestId, int contentLength, int paddingLength) {

    /** The header size, and the alignment the specification recommends for content plus padding. */
    static final int HEADER_LENGTH = 8;
    /** The most content one record carries (a 16-bit length). */
    static final int MAX_CONTENT = 0xFFFF;
    /** The protocol version: FastCGI has only ever had 1. */
    static final int VERSION = 1;

    static final int TYPE_BEGIN_REQUEST = 1;
    static final int TYPE_ABORT_REQUEST = 2;
    static final int TYPE_END_REQUEST = 3;
    static final int TYPE_PARAMS = 4;
    static final int TYPE_STDIN = 5;
    static final int TYPE_STDOUT = 6;
    static final int TYPE_STDERR = 7;

    /** The responder role of a BEGIN_REQUEST body: the application answers an HTTP request. */
    static final int ROLE_RESPONDER = 1;
    /** The BEGIN_REQUEST flag that asks the application to keep the connection open after the request. */
    static final int FLAG_KEEP_CONN = 1;
    /** END_REQUEST protocol status: the request ran to its end. The others are refusals (2 to 3). */
    static final int REQUEST_COMPLETE = 0;

    Record {
        if (contentLength < 0 || contentLength > MAX_CONTENT || paddingLength < 0 || paddingLength > 255
                || requestId < 0 || requestId > 0xFFFF || type < 1 || type > 255) {
            throw new IllegalArgumentException("bad FastCGI record " + type + "/" + requestId + "/" + contentLength + "/" + paddingLength);
        }
    }

    /** A header for {@code contentLength} bytes, padded to a multiple of 8 as the specification suggests. */
    static Record of(int type, int requestId, int contentLength) {
        return new Record(type, requestId, contentLength, (8 - (contentLength & 7)) & 7);
    }

    /** Writes this header into {@code buf} at {@code offset}. */
    void encode(byte[] buf, int offset) {
        buf[offset] = VERSION;
        buf[offset + 1] = (byte) type;
        buf[offset + 2] = (byte) (requestId >>> 8);
        buf[offset + 3] = (byte) requestId;
        buf[offset + 4] = (byte) (contentLength >>> 8);
        buf[offset + 5] = (byte) contentLength;
        buf[offset + 6] = (byte) paddingLength;
        buf[offset + 7] = 0;
    }

    /**
     * Reads one header from {@code in}.
     *
     * @throws EOFException when the stream ends before or inside the header
     * @throws IOException  when the version is not 1 (not a FastCGI peer, or out of step)
     */
    static Record read(InputStream in, byte[] scratch) throws IOException {
        int n = in.readNBytes(scratch, 0, HEADER_LENGTH);
        if (n < HEADER_LENGTH) throw new EOFException("FastCGI connection closed " + (n == 0 ? "between" : "inside") + " records");
        if ((scratch[0] & 0xFF) != VERSION) throw new IOException("not a FastCGI record (version " + (scratch[0] & 0xFF) + ")");
        return new Record(scratch[1] & 0xFF, (scratch[2] & 0xFF) << 8 | scratch[3] & 0xFF,
                (scratch[4] & 0xFF) << 8 | scratch[5] & 0xFF, scratch[6] & 0xFF);
    }

    /** The body of a BEGIN_REQUEST record: the responder role, and whether to keep the connection. */
    static byte[] beginRequestBody(boolean keepConnection) {
        return new byte[] {0, ROLE_RESPONDER, (byte) (keepConnection ? FLAG_KEEP_CONN : 0), 0, 0, 0, 0, 0};
    }
}

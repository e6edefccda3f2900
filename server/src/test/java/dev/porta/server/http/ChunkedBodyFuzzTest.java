package dev.porta.server.http;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Set;

/**
 * Coverage-guided fuzzing of the chunked decoder. A body chunked in any valid way (any chunk sizes, hex in
 * either case with leading zeros, extensions, trailers), arriving in pieces of any size, decodes to itself
 * and leaves the next request's bytes unread; and any bytes at all either decode within the limit to bytes
 * that were sent, in order, or are refused with 400, 413 or 431.
 */
class ChunkedBodyFuzzTest {

    private static final int MAX_BODY = 4096;
    private static final int MAX_TRAILER = 512;
    private static final byte[] NEXT_REQUEST = "GET /next HTTP/1.1\r\nHost: a\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final String[] EXTENSIONS = {"", ";a", ";a=b", " ; a = b", ";a=\"q \\\" x\"", "\t;x;y=1", ";n=\"\"",
        ";a=\"\u00e9\""};
    private static final String[] TRAILERS = {"X-T: 1", "Checksum:abc", "E:", "X-Obs: \u00e9t\u00e9"};
    private static final Set<Integer> REFUSALS = Set.of(400, 413, 431);

    @FuzzTest
    void aChunkedBodyDecodesBack(FuzzedDataProvider fuzz) throws IOException {
        byte[] body = fuzz.consumeBytes(fuzz.consumeInt(0, MAX_BODY));
        ByteArrayOutputStream wire = new ByteArrayOutputStream();
        int at = 0;
        while (at < body.length) {
            int size = fuzz.consumeInt(1, body.length - at);
            String hex = Integer.toHexString(size);
            if (fuzz.consumeBoolean()) hex = hex.toUpperCase(java.util.Locale.ROOT);
            hex = "0".repeat(fuzz.consumeInt(0, 3)) + hex;
            ascii(wire, hex + EXTENSIONS[fuzz.consumeInt(0, EXTENSIONS.length - 1)] + "\r\n");
            wire.write(body, at, size);
            ascii(wire, "\r\n");
            at += size;
        }
        ascii(wire, "0" + EXTENSIONS[fuzz.consumeInt(0, EXTENSIONS.length - 1)] + "\r\n");
        for (int t = fuzz.consumeInt(0, 3); t > 0; t--) ascii(wire, TRAILERS[fuzz.consumeInt(0, TRAILERS.length - 1)] + "\r\n");
        ascii(wire, "\r\n");
        wire.writeBytes(NEXT_REQUEST);
        int piece = fuzz.consumeInt(1, 64);

        HttpInput in = new HttpInput(new Trickle(wire.toByteArray(), piece), HttpInput.ReadClock.NONE);
        ChunkedBody chunked = new ChunkedBody(in, MAX_BODY, MAX_TRAILER);
        // Extensions count toward the limit: a long extension on every small chunk may pass it (413); then
        // the body must not have been handed on whole.
        byte[] decoded;
        try {
            decoded = readAll(chunked, fuzz.consumeInt(1, 100));
        } catch (HttpException e) {
            assertTrue(e.status() == 413, () -> "a valid chunked body refused: " + e.status() + " " + e.getMessage());
            return;
        }
        assertArrayEquals(body, decoded);
        assertTrue(chunked.isFinished());
        assertArrayEquals(NEXT_REQUEST, RequestHeadParserFuzzTest.rest(in), "the next request must stay unread");
    }

    @FuzzTest
    @DictionaryEntries({"\\x0d\\x0a", "0\\x0d\\x0a\\x0d\\x0a", ";", "=", "\\x22", "\\x5c", "ffffffffffffffff", "7fffffffffffffff", "00000000000000001",
        "X: y\\x0d\\x0a", "\\x0a", "\\x0d"})
    void anyBytesDecodeWithinTheLimitOrAreRefused(byte[] data) throws IOException {
        HttpInput in = new HttpInput(new ByteArrayInputStream(data), HttpInput.ReadClock.NONE);
        ChunkedBody chunked = new ChunkedBody(in, MAX_BODY, MAX_TRAILER);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buf = new byte[97];
        try {
            for (int n; (n = chunked.read(buf, 0, buf.length)) >= 0; ) {
                out.write(buf, 0, n);
                assertTrue(out.size() <= MAX_BODY, "more than the limit handed on");
            }
        } catch (HttpException refused) {
            assertTrue(REFUSALS.contains(refused.status()), () -> refused.status() + " " + refused.getMessage());
        }
        assertTrue(isSubsequence(out.toByteArray(), data), "decoded bytes that were never sent");
    }

    private static byte[] readAll(ChunkedBody body, int bufferSize) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buf = new byte[bufferSize];
        for (int n; (n = body.read(buf, 0, buf.length)) >= 0; ) out.write(buf, 0, n);
        return out.toByteArray();
    }

    private static boolean isSubsequence(byte[] part, byte[] whole) {
        int j = 0;
        for (int i = 0; i < whole.length && j < part.length; i++) {
            if (whole[i] == part[j]) j++;
        }
        return j == part.length;
    }

    private static void ascii(ByteArrayOutputStream out, String s) {
        out.writeBytes(s.getBytes(StandardCharsets.ISO_8859_1));
    }

    /** Hands out at most {@code piece} bytes per read, as a slow network does. */
    private static final class Trickle extends InputStream {
        private final byte[] data;
        private final int piece;
        private int pos;

        Trickle(byte[] data, int piece) {
            this.data = data;
            this.piece = piece;
        }

        @Override
        public int read() {
            return pos < data.length ? data[pos++] & 0xff : -1;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (pos >= data.length) return -1;
            int n = Math.min(Math.min(len, piece), data.length - pos);
            System.arraycopy(data, pos, b, off, n);
            pos += n;
            return n;
        }
    }
}

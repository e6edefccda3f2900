package dev.porta.plugins.fastcgi;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The FastCGI encoding: record headers, name-value pairs, and the CGI response head. */
class ProtocolTest {

    @Test
    void aRecordHeaderIsEightBytesBigEndianPaddedToEight() {
        Record r = Record.of(Record.TYPE_STDIN, 1, 13);
        assertEquals(3, r.paddingLength());
        byte[] b = new byte[8];
        r.encode(b, 0);
        assertArrayEquals(new byte[] {1, 5, 0, 1, 0, 13, 3, 0}, b);
        assertEquals(0, Record.of(Record.TYPE_STDIN, 1, 16).paddingLength());
        Record max = Record.of(Record.TYPE_PARAMS, 0x1234, Record.MAX_CONTENT);
        max.encode(b, 0);
        assertArrayEquals(new byte[] {1, 4, 0x12, 0x34, (byte) 0xFF, (byte) 0xFF, 1, 0}, b);
    }

    @Test
    void aRecordHeaderReadsBack() throws IOException {
        byte[] b = new byte[8];
        new Record(Record.TYPE_STDOUT, 1, 40000, 0).encode(b, 0);
        assertEquals(new Record(Record.TYPE_STDOUT, 1, 40000, 0), Record.read(new ByteArrayInputStream(b), new byte[8]));
        assertThrows(EOFException.class, () -> Record.read(new ByteArrayInputStream(new byte[5]), new byte[8]));
        b[0] = 2;
        assertThrows(IOException.class, () -> Record.read(new ByteArrayInputStream(b), new byte[8]));
        assertThrows(IllegalArgumentException.class, () -> Record.of(Record.TYPE_STDIN, 1, 65536));
    }

    @Test
    void beginRequestAsksForTheResponderRoleAndKeepConn() {
        assertArrayEquals(new byte[] {0, 1, 1, 0, 0, 0, 0, 0}, Record.beginRequestBody(true));
        assertArrayEquals(new byte[] {0, 1, 0, 0, 0, 0, 0, 0}, Record.beginRequestBody(false));
    }

    @Test
    void shortLengthsTakeOneByteLongOnesFourWithTheHighBit() {
        String longValue = "v".repeat(300);
        byte[] b = ParamsEncoder.encode(List.of("A", "bc", "NAME", longValue));
        assertEquals(1, b[0]);
        assertEquals(2, b[1]);
        assertEquals("Abc", new String(b, 2, 3, StandardCharsets.US_ASCII));
        assertEquals(4, b[5]);
        assertArrayEquals(new byte[] {(byte) 0x80, 0, 1, 44}, Arrays.copyOfRange(b, 6, 10)); // 300 = 0x12C
        assertEquals(Map.of("A", "bc", "NAME", longValue), decode(b));
    }

    @Test
    void lengthsCountUtf8BytesAndTheBoundaryIs127() {
        String name = "n".repeat(127);
        String value = "é".repeat(64); // 128 bytes
        byte[] b = ParamsEncoder.encode(List.of(name, value));
        assertEquals(127, b[0]);
        assertEquals((byte) 0x80, b[1]);
        assertEquals(Map.of(name, value), decode(b));
    }

    @Test
    void theHeadGivesStatusFieldsAndLength() throws IOException {
        ResponseParser.Head head = parse("Status: 404 Not Found\r\nContent-Type: text/html\r\nSet-Cookie: a=1\r\n"
                + "Set-Cookie: b=2\r\nContent-Length: 12\r\nConnection: close\r\n\r\nbody");
        assertEquals(404, head.status());
        assertEquals(List.of("a=1", "b=2"), head.headers().all("Set-Cookie"));
        assertEquals("text/html", head.headers().first("Content-Type").orElseThrow());
        assertEquals(false, head.headers().contains("Status"));
        assertEquals(false, head.headers().contains("Connection"));
        assertEquals(12, head.contentLength());
    }

    @Test
    void bareLineFeedsAndNoStatusMean200AndALocationAlone302() throws IOException {
        ResponseParser.Head ok = parse("X-Powered-By: PHP\n\n");
        assertEquals(200, ok.status());
        assertEquals(-1, ok.contentLength());
        assertEquals(302, parse("Location: /there\r\n\r\n").status());
        assertEquals(301, parse("Status: 301\r\nLocation: /there\r\n\r\n").status());
        assertEquals(-1, parse("Content-Length: 1\r\nContent-Length: 2\r\n\r\n").contentLength(), "two lengths: none trusted");
    }

    @Test
    void aBrokenHeadIs502() {
        for (String head : List.of("no colon here\r\n\r\n", "Status: abc\r\n\r\n", "Status: 99\r\n\r\n", "Bad Name: x\r\n\r\n",
                "X: a\rb\r\n\r\n", "X-Cut: short")) {
            UpstreamException e = assertThrows(UpstreamException.class, () -> parse(head), head);
            assertEquals(502, e.status());
        }
        String huge = "X: " + "a".repeat(ResponseParser.MAX_HEAD) + "\r\n\r\n";
        assertEquals(502, assertThrows(UpstreamException.class, () -> parse(huge)).status());
    }

    @Test
    void theBodyStartsRightAfterTheHead() throws IOException {
        ByteArrayInputStream in = new ByteArrayInputStream("A: b\r\n\r\nrest\n".getBytes(StandardCharsets.ISO_8859_1));
        ResponseParser.parse(in);
        assertEquals("rest\n", new String(in.readAllBytes(), StandardCharsets.ISO_8859_1));
    }

    private static ResponseParser.Head parse(String head) throws IOException {
        return ResponseParser.parse(new ByteArrayInputStream(head.getBytes(StandardCharsets.ISO_8859_1)));
    }

    /** The FastCGI application's side of the name-value encoding, as PHP-FPM reads it. */
    static Map<String, String> decode(byte[] b) {
        Map<String, String> pairs = new LinkedHashMap<>();
        int[] at = {0};
        while (at[0] < b.length) {
            int nameLength = length(b, at);
            int valueLength = length(b, at);
            String name = new String(b, at[0], nameLength, StandardCharsets.UTF_8);
            String value = new String(b, at[0] + nameLength, valueLength, StandardCharsets.UTF_8);
            at[0] += nameLength + valueLength;
            pairs.put(name, value);
        }
        return pairs;
    }

    private static int length(byte[] b, int[] at) {
        int first = b[at[0]] & 0xFF;
        if (first < 0x80) {
            at[0]++;
            return first;
        }
        int n = (first & 0x7F) << 24 | (b[at[0] + 1] & 0xFF) << 16 | (b[at[0] + 2] & 0xFF) << 8 | b[at[0] + 3] & 0xFF;
        at[0] += 4;
        return n;
    }
}

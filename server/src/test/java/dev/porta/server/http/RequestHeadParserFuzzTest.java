package dev.porta.server.http;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.porta.server.config.Limits;
import dev.porta.spi.Headers;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Set;

/**
 * Coverage-guided fuzzing of the request-head parser: whatever bytes arrive, a head is either refused with
 * one of the parser's statuses or it is well formed, written out again it parses to the same head, and the
 * bytes after it stay unread for the next request (pipelining).
 */
class RequestHeadParserFuzzTest {

    /** Small limits, so that the fuzzer reaches every limit with short inputs. */
    static final Limits LIMITS = new Limits(128, 512, 128, 8, 1 << 20, 100, 100, 100);

    /** For the canonical form, which may be a little longer (": " after each name). */
    private static final Limits ROOMIER = new Limits(128, 1024, 256, 8, 1 << 20, 100, 100, 100);

    private static final Set<Integer> PARSER_STATUSES = Set.of(400, 414, 431, 501, 505);

    @FuzzTest
    @DictionaryEntries({"GET ", "HEAD ", "POST ", "OPTIONS * ", " HTTP/1.1\\x0d\\x0a", " HTTP/1.0\\x0d\\x0a", "HTTP/2.0", "\\x0d\\x0a",
        "Host: ", "Content-Length: ", "Transfer-Encoding: chunked", ": ", "\\x09", "%2e%2e/"})
    void aParsedHeadWrittenOutParsesTheSame(byte[] data) throws IOException {
        HttpInput in = input(data);
        RequestHead head;
        try {
            head = new RequestHeadParser(LIMITS).read(in);
        } catch (HttpException refused) {
            assertTrue(PARSER_STATUSES.contains(refused.status()), () -> "status " + refused.status() + ": " + refused.getMessage());
            return;
        }
        if (head == null) return; // nothing but empty lines, then the end
        assertWellFormed(head);

        // Written out again (canonical form) and followed by the original bytes: the same head, and the
        // parser stops exactly at its end, so that a pipelined request's bytes are never eaten.
        byte[] canonical = write(head);
        ByteArrayOutputStream twice = new ByteArrayOutputStream();
        twice.writeBytes(canonical);
        twice.writeBytes(data);
        HttpInput again = input(twice.toByteArray());
        RequestHead reparsed = new RequestHeadParser(ROOMIER).read(again);
        assertNotNull(reparsed);
        assertSame(head, reparsed);
        assertArrayEquals(data, rest(again), "the bytes after the head must stay unread");
    }

    static void assertWellFormed(RequestHead head) {
        assertTrue(RequestHeadParser.KNOWN_METHODS.contains(head.method()), head.method());
        assertTrue(head.version().equals("HTTP/1.1") || head.version().equals("HTTP/1.0"), head.version());
        assertFalse(head.target().isEmpty());
        assertTrue(head.target().length() <= LIMITS.requestLineBytes());
        head.target().chars().forEach(c -> assertTrue(c > 0x20 && c < 0x7f, () -> "target char " + c));
        Headers h = head.headers();
        assertTrue(h.size() <= LIMITS.headerCount());
        int bytes = 0;
        for (int i = 0; i < h.size(); i++) {
            String name = h.name(i);
            String value = h.value(i);
            assertTrue(ListField.isToken(name), () -> "name " + name);
            assertFalse(value.startsWith(" ") || value.startsWith("\t") || value.endsWith(" ") || value.endsWith("\t"));
            value.chars().forEach(c -> assertTrue((c >= 0x20 || c == '\t') && c != 0x7f && c <= 0xff, () -> "value char " + c));
            bytes += name.length() + 1 + value.length() + 2;
        }
        assertTrue(bytes <= LIMITS.headerBytes() + 2 * h.size(), "header block within its limit");
    }

    /** The head as a client would send it: one space, one colon and a space, CRLF. */
    static byte[] write(RequestHead head) {
        StringBuilder sb = new StringBuilder();
        sb.append(head.method()).append(' ').append(head.target()).append(' ').append(head.version()).append("\r\n");
        head.headers().forEach((name, value) -> sb.append(name).append(": ").append(value).append("\r\n"));
        sb.append("\r\n");
        return sb.toString().getBytes(StandardCharsets.ISO_8859_1);
    }

    static void assertSame(RequestHead expected, RequestHead actual) {
        assertEquals(expected.method(), actual.method());
        assertEquals(expected.target(), actual.target());
        assertEquals(expected.version(), actual.version());
        assertEquals(expected.headers().size(), actual.headers().size());
        for (int i = 0; i < expected.headers().size(); i++) {
            assertEquals(expected.headers().name(i), actual.headers().name(i));
            assertEquals(expected.headers().value(i), actual.headers().value(i));
        }
    }

    static HttpInput input(byte[] data) {
        return new HttpInput(new ByteArrayInputStream(data), HttpInput.ReadClock.NONE);
    }

    static byte[] rest(HttpInput in) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] chunk = new byte[4096];
        for (int n; (n = in.read(chunk, 0, chunk.length)) >= 0; ) out.write(chunk, 0, n);
        return out.toByteArray();
    }
}

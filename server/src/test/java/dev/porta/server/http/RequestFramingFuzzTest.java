package dev.porta.server.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.porta.server.http.RequestFraming.Framing;
import dev.porta.server.http.RequestFraming.Rule;
import dev.porta.spi.Headers;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;

/**
 * Coverage-guided fuzzing of the framing rules: for any head the parser accepts, {@link RequestFraming#of}
 * either refuses it by one named {@link Rule} with that rule's status, or its decision follows RFC 9112 §6.3
 * as stated here independently: Transfer-Encoding never goes with Content-Length nor with HTTP/1.0 and
 * means chunked alone; a length is the one value every Content-Length element gives, within the limit; one
 * valid Host; one Authorization; 100-continue only when a body follows. And the body, read by that
 * framing from what follows the head, ends exactly there: no byte of it is left to be read as a request.
 */
class RequestFramingFuzzTest {

    private static final long MAX_BODY = RequestHeadParserFuzzTest.LIMITS.bodyBytes();

    @FuzzTest
    @DictionaryEntries({"GET / HTTP/1.1\\x0d\\x0a", "POST / HTTP/1.0\\x0d\\x0a", "OPTIONS * HTTP/1.1\\x0d\\x0a", "Host: a\\x0d\\x0a", "Host: [::1]:80\\x0d\\x0a",
        "Transfer-Encoding: ", "Content-Length: ", "chunked", "gzip", ", ", "Expect: 100-continue\\x0d\\x0a",
        "Authorization: Basic x\\x0d\\x0a", "\\x0d\\x0a", "65535", "65536", "1048576", "1048577", "00", "0\\x0d\\x0a\\x0d\\x0a", "5\\x0d\\x0ahello\\x0d\\x0a"})
    void framingFollowsTheRfc(byte[] data) throws IOException {
        RequestHead head;
        HttpInput in = RequestHeadParserFuzzTest.input(data);
        try {
            head = new RequestHeadParser(RequestHeadParserFuzzTest.LIMITS).read(in);
        } catch (HttpException notAHead) {
            return; // the parser's fuzz test covers refused heads
        }
        if (head == null) return;
        Framing framing;
        try {
            framing = RequestFraming.of(head, MAX_BODY);
        } catch (HttpException refused) {
            Rule rule = ruleOf(refused);
            assertEquals(rule.status(), refused.status(), refused.getMessage());
            return;
        }
        Headers h = head.headers();
        List<String> hosts = h.all("Host");
        if (head.isHttp10()) assertTrue(hosts.size() <= 1);
        else assertEquals(1, hosts.size());
        for (String host : hosts) assertValidHost(host);
        assertTrue(h.all("Authorization").size() <= 1);

        List<String> te = h.all("Transfer-Encoding");
        List<String> cl = h.all("Content-Length");
        if (!te.isEmpty()) {
            assertTrue(cl.isEmpty(), "Transfer-Encoding with Content-Length must be refused");
            assertFalse(head.isHttp10(), "Transfer-Encoding in HTTP/1.0 must be refused");
            List<String> codings = ListField.elements(te);
            assertEquals(List.of("chunked"), codings.stream().map(c -> c.toLowerCase(java.util.Locale.ROOT)).toList());
            assertEquals(Framing.Kind.CHUNKED, framing.kind());
        } else if (cl.isEmpty()) {
            assertEquals(Framing.Kind.NONE, framing.kind());
        } else {
            long length = -1;
            for (String value : cl) {
                for (String element : value.split(",", -1)) {
                    String digits = element.strip();
                    assertTrue(!digits.isEmpty() && digits.chars().allMatch(c -> c >= '0' && c <= '9'), "Content-Length " + value);
                    long n = new java.math.BigInteger(digits).longValueExact();
                    assertTrue(length < 0 || n == length, "differing Content-Length values must be refused");
                    length = n;
                }
            }
            assertTrue(length <= MAX_BODY);
            if (length == 0) {
                assertEquals(Framing.Kind.NONE, framing.kind());
            } else {
                assertEquals(Framing.Kind.FIXED, framing.kind());
                assertEquals(length, framing.length());
            }
        }
        if (framing.expectContinue()) {
            assertTrue(h.first("Expect").orElseThrow().equalsIgnoreCase("100-continue"));
            assertFalse(head.isHttp10());
            assertTrue(framing.kind() != Framing.Kind.NONE);
        }
        if (h.first("Expect").isPresent()) assertTrue(h.first("Expect").get().equalsIgnoreCase("100-continue"));

        // The body ends where the framing says, so that no byte of it is read as the next request: read it
        // from what followed the head; whatever it leaves is exactly what follows it on the wire.
        byte[] afterHead = RequestHeadParserFuzzTest.rest(in);
        HttpInput bodyIn = RequestHeadParserFuzzTest.input(afterHead);
        RequestBody body = framing.body(bodyIn, RequestHeadParserFuzzTest.LIMITS);
        long read = 0;
        try {
            byte[] buf = new byte[64];
            for (int n; (n = body.read(buf, 0, buf.length)) >= 0; ) read += n;
        } catch (HttpException cutShortOrMalformed) {
            assertTrue(cutShortOrMalformed.status() == 400 || cutShortOrMalformed.status() == 413 || cutShortOrMalformed.status() == 431,
                    cutShortOrMalformed.getMessage());
            return;
        }
        assertTrue(body.isFinished());
        byte[] next = RequestHeadParserFuzzTest.rest(bodyIn);
        switch (framing.kind()) {
            case NONE -> assertEquals(afterHead.length, next.length, "a request without a body consumed bytes");
            case FIXED -> {
                assertEquals(framing.length(), read);
                assertEquals(afterHead.length - framing.length(), next.length);
            }
            case CHUNKED -> {
                assertTrue(read <= MAX_BODY);
                int used = afterHead.length - next.length;
                assertTrue(used >= 5 && afterHead[used - 2] == '\r' && afterHead[used - 1] == '\n', "a chunked body ends with CRLF");
            }
        }
        assertTrue(Arrays.equals(next, Arrays.copyOfRange(afterHead, afterHead.length - next.length, afterHead.length)));
    }

    private static Rule ruleOf(HttpException refused) {
        String detail = String.valueOf(refused.getMessage());
        return Arrays.stream(Rule.values()).filter(r -> detail.startsWith(r.name() + ": ")).findFirst()
                .orElseGet(() -> fail("a refusal that names no rule: " + refused.status() + " " + detail));
    }

    /** uri-host [":" port] (RFC 3986 §3.2.2, RFC 9110 §7.2), stated without the code under test. */
    private static void assertValidHost(String host) {
        assertTrue(host.matches("(\\[[0-9A-Fa-f:.vV]+\\]|[A-Za-z0-9\\-._~!$&'()*+;=%]+)(:[0-9]{0,5})?"), () -> "Host " + host);
        int colon = host.lastIndexOf(':');
        if (colon > host.lastIndexOf(']') && colon + 1 < host.length()) {
            assertTrue(Integer.parseInt(host.substring(colon + 1)) <= 65535, () -> "port of " + host);
        }
    }
}

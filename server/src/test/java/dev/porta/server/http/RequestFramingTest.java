package dev.porta.server.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.porta.server.config.Limits;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The table of framing cases: each request head either frames its body one way or breaks one named rule.
 * The heads are written with {@code |} for CRLF, so that a case fits on one line.
 */
class RequestFramingTest {

    private static final long MAX_BODY = 1 << 20;

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '>', value = {
        // plain requests
        "GET / HTTP/1.1|Host: a|                                              > NONE",
        "GET / HTTP/1.0|                                                      > NONE",
        "POST / HTTP/1.1|Host: a|Content-Length: 5|                           > FIXED 5",
        "POST / HTTP/1.1|Host: a|Content-Length: 0|                           > NONE",
        "POST / HTTP/1.1|Host: a|Content-Length: 5, 5|                        > FIXED 5",
        "POST / HTTP/1.1|Host: a|Content-Length: 5|Content-Length: 5|         > FIXED 5",
        "POST / HTTP/1.1|Host: a|Transfer-Encoding: chunked|                  > CHUNKED",
        "POST / HTTP/1.1|Host: a|Transfer-Encoding: Chunked|                  > CHUNKED",
        "POST / HTTP/1.1|Host: a|Transfer-Encoding: chunked ,|                > CHUNKED",
        "POST / HTTP/1.1|Host: a|Transfer-Encoding: , chunked|                > CHUNKED",
        "POST / HTTP/1.1|Host: a|Transfer-Encoding: \tchunked\t|              > CHUNKED",
        "POST / HTTP/1.1|Host: a|Transfer-Encoding: ,|Transfer-Encoding: chunked| > CHUNKED",
        "POST / HTTP/1.1|Host: a|Content-Length: 5|Expect: 100-continue|      > FIXED 5 continue",
        "GET / HTTP/1.1|Host: a|Expect: 100-continue|                         > NONE",
        // OPTIONS * follows the same rules as every request
        "OPTIONS * HTTP/1.1|Host: a|Content-Length: 55|                       > FIXED 55",
        "OPTIONS * HTTP/1.1|                                                  > HOST_COUNT",
        "OPTIONS * HTTP/1.1|Host: a|Host: b|                                  > HOST_COUNT",
        "OPTIONS * HTTP/1.1|Host: a|Content-Length: 5|Transfer-Encoding: chunked| > TE_AND_CL",
        "OPTIONS * HTTP/1.1|Host: a|Content-Length: abc|                      > CL_INVALID",
        // Host
        "GET / HTTP/1.1|                                                      > HOST_COUNT",
        "GET / HTTP/1.1|Host: a|Host: a|                                      > HOST_COUNT",
        "GET / HTTP/1.0|Host: a|Host: b|                                      > HOST_COUNT",
        "GET / HTTP/1.1|Host:|                                                > HOST_EMPTY",
        "GET / HTTP/1.1|Host: a b|                                            > HOST_INVALID",
        "GET / HTTP/1.1|Host: a@b|                                            > HOST_INVALID",
        "GET / HTTP/1.1|Host: a/b|                                            > HOST_INVALID",
        "GET / HTTP/1.1|Host: a,b|                                            > HOST_INVALID",
        "GET / HTTP/1.1|Host: [::1|                                           > HOST_INVALID",
        "GET / HTTP/1.1|Host: a:80:80|                                        > HOST_INVALID",
        "GET / HTTP/1.1|Host: a:123456|                                       > HOST_INVALID",
        "GET / HTTP/1.1|Host: a:99999|                                        > HOST_INVALID",
        "GET / HTTP/1.1|Host: a:65535|                                        > NONE",
        "GET / HTTP/1.1|Host: :80|                                            > HOST_INVALID",
        "GET / HTTP/1.1|Host: [::1]x|                                         > HOST_INVALID",
        "GET / HTTP/1.1|Host: [::1]:8080|                                     > NONE",
        "GET / HTTP/1.1|Host: example.org:443|                                > NONE",
        "GET / HTTP/1.1|Host: 127.0.0.1|                                      > NONE",
        "GET / HTTP/1.1|Host: xn--bcher-kva.example|                          > NONE",
        // fields that may appear once
        "GET / HTTP/1.1|Host: a|Authorization: Basic YTpi|Authorization: Basic YzpkCg==| > AUTHORIZATION_REPEATED",
        // Transfer-Encoding
        "POST / HTTP/1.1|Host: a|Transfer-Encoding: chunked|Content-Length: 5| > TE_AND_CL",
        "POST / HTTP/1.0|Transfer-Encoding: chunked|                          > TE_IN_HTTP10",
        "POST / HTTP/1.1|Host: a|Transfer-Encoding: chu nked|                 > TE_MALFORMED",
        "POST / HTTP/1.1|Host: a|Transfer-Encoding: c h u n k e d|            > TE_MALFORMED",
        "POST / HTTP/1.1|Host: a|Transfer-Encoding: chun\tked|                > TE_MALFORMED",
        "POST / HTTP/1.1|Host: a|Transfer-Encoding: chunked;x=1|              > TE_MALFORMED",
        "POST / HTTP/1.1|Host: a|Transfer-Encoding: \"chunked\"|              > TE_MALFORMED",
        "POST / HTTP/1.1|Host: a|Transfer-Encoding:|                          > TE_MALFORMED",
        "POST / HTTP/1.1|Host: a|Transfer-Encoding: ,|                        > TE_MALFORMED",
        "POST / HTTP/1.1|Host: a|Transfer-Encoding: gzip|                     > TE_NOT_CHUNKED_LAST",
        "POST / HTTP/1.1|Host: a|Transfer-Encoding: chunked, gzip|            > TE_NOT_CHUNKED_LAST",
        "POST / HTTP/1.1|Host: a|Transfer-Encoding: chunked, chunked|         > TE_NOT_CHUNKED_LAST",
        "POST / HTTP/1.1|Host: a|Transfer-Encoding: chunked|Transfer-Encoding: chunked| > TE_NOT_CHUNKED_LAST",
        "POST / HTTP/1.1|Host: a|Transfer-Encoding: chunked-false|            > TE_NOT_CHUNKED_LAST",
        "POST / HTTP/1.1|Host: a|Transfer-Encoding: gzip, chunked|            > TE_UNSUPPORTED",
        "POST / HTTP/1.1|Host: a|Transfer-Encoding: gzip|Transfer-Encoding: chunked| > TE_UNSUPPORTED",
        // Content-Length
        "POST / HTTP/1.1|Host: a|Content-Length: abc|                         > CL_INVALID",
        "POST / HTTP/1.1|Host: a|Content-Length: -1|                          > CL_INVALID",
        "POST / HTTP/1.1|Host: a|Content-Length: +5|                          > CL_INVALID",
        "POST / HTTP/1.1|Host: a|Content-Length: 0x10|                        > CL_INVALID",
        "POST / HTTP/1.1|Host: a|Content-Length: 5 5|                         > CL_INVALID",
        "POST / HTTP/1.1|Host: a|Content-Length:|                             > CL_INVALID",
        "POST / HTTP/1.1|Host: a|Content-Length: 5, 6|                        > CL_INVALID",
        "POST / HTTP/1.1|Host: a|Content-Length: 5|Content-Length: 6|         > CL_INVALID",
        "POST / HTTP/1.1|Host: a|Content-Length: 5,|                          > CL_INVALID",
        "POST / HTTP/1.1|Host: a|Content-Length: 99999999999999999999|        > CL_INVALID",
        "POST / HTTP/1.1|Host: a|Content-Length: 1048577|                     > BODY_TOO_LARGE",
        // Expect
        "POST / HTTP/1.1|Host: a|Content-Length: 5|Expect: 200-ok|            > EXPECT_UNKNOWN",
    })
    void framesOrRefusesByRule(String head, String expected) throws IOException {
        RequestHead parsed = parse(head.strip());
        if (expected.equals("NONE") || expected.startsWith("FIXED") || expected.equals("CHUNKED")) {
            RequestFraming.Framing framing = RequestFraming.of(parsed, MAX_BODY);
            String[] parts = expected.split(" ");
            assertEquals(RequestFraming.Framing.Kind.valueOf(parts[0]), framing.kind());
            if (parts.length > 1) assertEquals(Long.parseLong(parts[1]), framing.length());
            assertEquals(parts.length > 2, framing.expectContinue());
        } else {
            RequestFraming.Rule rule = RequestFraming.Rule.valueOf(expected);
            HttpException e = assertThrows(HttpException.class, () -> RequestFraming.of(parsed, MAX_BODY));
            assertEquals(rule.status(), e.status());
            assertTrue(e.getMessage().startsWith(rule.name() + ":"), e.getMessage());
        }
    }

    private static RequestHead parse(String head) throws IOException {
        byte[] bytes = (head.replace("|", "\r\n") + "\r\n").getBytes(StandardCharsets.ISO_8859_1);
        HttpInput in = new HttpInput(new ByteArrayInputStream(bytes), HttpInput.ReadClock.NONE);
        return new RequestHeadParser(Limits.DEFAULTS).read(in);
    }
}

package dev.porta.server.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.porta.server.config.Limits;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RequestHeadParserTest {

    private static final Limits LIMITS = new Limits(8192, 1024, 8192, 10, 1 << 20, 100, 100, 100);

    private static RequestHead parse(String text) throws IOException {
        HttpInput in = new HttpInput(new ByteArrayInputStream(text.getBytes(StandardCharsets.ISO_8859_1)), HttpInput.ReadClock.NONE);
        return new RequestHeadParser(LIMITS).read(in);
    }

    private static int statusOf(String text) {
        return assertThrows(HttpException.class, () -> parse(text)).status();
    }

    @Test
    void parsesRequestLineAndFields() throws IOException {
        RequestHead head = parse("GET /a%20b?x=1 HTTP/1.1\r\nHost: example.org\r\nAccept:  text/html \r\nX-Two: 1\r\nx-two: 2\r\n\r\n");
        assertEquals("GET", head.method());
        assertEquals("/a%20b?x=1", head.target());
        assertEquals("HTTP/1.1", head.version());
        assertEquals("example.org", head.headers().first("host").orElseThrow());
        assertEquals("text/html", head.headers().first("Accept").orElseThrow());
        assertEquals(List.of("1", "2"), head.headers().all("X-TWO"));
    }

    @Test
    void acceptsBareLineFeedsAndLeadingEmptyLines() throws IOException {
        RequestHead head = parse("\r\n\nGET / HTTP/1.0\nHost: a\n\n");
        assertEquals("HTTP/1.0", head.version());
        assertEquals("a", head.headers().first("Host").orElseThrow());
    }

    @Test
    void servesLaterMinorVersionsAsHttp11() throws IOException {
        assertEquals("HTTP/1.1", parse("GET / HTTP/1.2\r\nHost: a\r\n\r\n").version());
    }

    @Test
    void cleanEndBeforeAnyByteIsNoRequest() throws IOException {
        assertNull(parse(""));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
        "GET  / HTTP/1.1                       | 400",
        "GET / HTTP/1.1 extra                  | 400",
        "GET /  HTTP/1.1                       | 400",
        "' GET / HTTP/1.1'                     | 400",
        "GET / http/1.1                        | 400",
        "GET / HTTP/1                          | 400",
        "GET / HTTP/1.1.1                      | 400",
        "GET / HTTP/11.1                       | 400",
        "GET /\u00e9 HTTP/1.1                  | 400",
        "G@T / HTTP/1.1                        | 400",
        "GET                                   | 400",
        "GET / HTTP/2.0                        | 505",
        "GET / HTTP/0.9                        | 505",
        "GET / HTTP/3.0                        | 505",
        "FOO / HTTP/1.1                        | 501",
        "get / HTTP/1.1                        | 501",
    })
    void refusesBadRequestLines(String line, int status) {
        assertEquals(status, statusOf(line + "\r\nHost: a\r\n\r\n"));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
        "Host : a                   | 400",
        "Host\t: a                  | 400",
        "Ho st: a                   | 400",
        ": a                        | 400",
        "NoColon                    | 400",
        "X: a\u0000b                | 400",
        "X: a\u0001b                | 400",
        "X: a\u007fb                | 400",
        "X: a\rb                    | 400",
    })
    void refusesBadFields(String field, int status) {
        assertEquals(status, statusOf("GET / HTTP/1.1\r\n" + field + "\r\n\r\n"));
    }

    @Test
    void refusesObsoleteLineFolding() {
        assertEquals(400, statusOf("GET / HTTP/1.1\r\nHost: a\r\nX-Long: one\r\n two\r\n\r\n"));
    }

    @Test
    void limitsTheRequestLine() throws IOException {
        String ok = "GET /" + "a".repeat(8192 - 14) + " HTTP/1.1";
        assertEquals(8192, ok.length());
        parse(ok + "\r\nHost: a\r\n\r\n");
        assertEquals(414, statusOf("GET /" + "a".repeat(8192) + " HTTP/1.1\r\nHost: a\r\n\r\n"));
    }

    @Test
    void limitsHeaderBytesAndCount() {
        assertEquals(431, statusOf("GET / HTTP/1.1\r\nX: " + "v".repeat(1100) + "\r\n\r\n"));
        StringBuilder many = new StringBuilder("GET / HTTP/1.1\r\n");
        for (int i = 0; i < 11; i++) many.append("X").append(i).append(": v\r\n");
        assertEquals(431, statusOf(many + "\r\n"));
    }

    @Test
    void truncatedHeadIsBad() {
        assertEquals(400, statusOf("GET / HTTP/1.1\r\nHost: a\r\n"));
        assertEquals(400, statusOf("GET / HTT"));
    }
}

package dev.porta.server.connection;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.porta.server.testing.RawClient;
import dev.porta.server.EmbeddedPorta;
import dev.porta.spi.Body;
import dev.porta.spi.Handler;
import dev.porta.spi.Response;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Request smuggling over real sockets: each request is sent with a second request hidden where a lax
 * parser would take it for the next one. The hidden request must never reach a handler, and every framing
 * refusal closes the connection.
 */
class SmugglingTest {

    @TempDir
    static Path root;
    static EmbeddedPorta server;
    static final List<String> SEEN = new CopyOnWriteArrayList<>();
    static final String HIDDEN = "GET /restricted/ HTTP/1.1\r\nHost: a\r\n\r\n";

    /** Records each path it is asked for, reads the body and echoes its length. */
    static final Handler RECORDER = (request, chain) -> {
        SEEN.add(request.path());
        byte[] body = request.body().readAllBytes();
        return Response.of(200).withBody(Body.of(request.path() + " " + body.length));
    };

    @BeforeAll
    static void start() {
        server = EmbeddedPorta.builder(root).config("limits.body-bytes = 64k\n").handler("recorder", RECORDER).start();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @BeforeEach
    void forget() {
        SEEN.clear();
    }

    /**
     * Sends {@code raw}, written with | for CRLF, {LF} for a bare LF and {CR} for a bare CR, half-closes,
     * and returns everything the server sent back.
     */
    static String sendAll(String raw) throws IOException {
        try (RawClient c = new RawClient(server.port())) {
            c.send(raw.replace("|", "\r\n").replace("{LF}", "\n").replace("{CR}", "\r"));
            c.socket().shutdownOutput();
            return c.readToEnd();
        }
    }

    static List<String> statusLines(String responses) {
        Matcher m = Pattern.compile("HTTP/1\\.1 \\d{3}[^\r]*").matcher(responses);
        List<String> lines = new java.util.ArrayList<>();
        while (m.find()) lines.add(m.group());
        return lines;
    }

    @Test
    void theBodyOfOptionsAsteriskIsNeverReadAsASecondRequest() throws IOException {
        String out = sendAll("OPTIONS * HTTP/1.1|Host: a|Content-Length: " + HIDDEN.length() + "||" + HIDDEN);
        assertEquals(List.of("HTTP/1.1 200 OK"), statusLines(out), out);
        assertTrue(out.contains("Allow: GET, HEAD, OPTIONS, POST"), out);
        assertEquals(List.of(), SEEN);
    }

    @Test
    void optionsAsteriskKeepsTheConnectionInStepAfterItsBody() throws IOException {
        try (RawClient c = new RawClient(server.port())) {
            c.send("OPTIONS * HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\n\r\nhello");
            assertTrue(c.readResponse().startsWith("HTTP/1.1 200 OK"));
            c.send("GET /next HTTP/1.1\r\nHost: a\r\n\r\n");
            assertTrue(c.readResponse().endsWith("/next 0"));
        }
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '>', value = {
        "OPTIONS * HTTP/1.1|Content-Length: 5||hello                                > 400",
        "OPTIONS * HTTP/1.1|Host: a|Host: b||                                        > 400",
        "OPTIONS * HTTP/1.1|Host: a|Content-Length: 3|Transfer-Encoding: chunked||0||> 400",
        "OPTIONS * HTTP/1.1|Host: a|Content-Length: abc||                            > 400",
        "GET / HTTP/1.1|Host:||                                                      > 400",
        "GET / HTTP/1.1|Host: a|Authorization: Basic YTpi|Authorization: Basic YzpkCg==|| > 400",
        "POST / HTTP/1.1|Host: a|Transfer-Encoding: chu nked||0||                    > 400",
        "POST / HTTP/1.1|Host: a|Transfer-Encoding: c h u n k e d||0||              > 400",
        "POST / HTTP/1.1|Host: a|Transfer-Encoding: chun\tked||0||                  > 400",
        "POST / HTTP/1.1|Host: a|Transfer-Encoding: gzip||0||                        > 400",
        "POST / HTTP/1.1|Host: a|Transfer-Encoding: gzip, chunked||0||               > 501",
        "POST / HTTP/1.1|Host: a|Transfer-Encoding: chunked, chunked||0||            > 400",
    })
    void aFramingRefusalAnswersOnceAndCloses(String head, int status) throws IOException {
        String out = sendAll(head.strip() + HIDDEN);
        List<String> lines = statusLines(out);
        assertEquals(1, lines.size(), out);
        assertTrue(lines.get(0).startsWith("HTTP/1.1 " + status), out);
        assertTrue(out.contains("Connection: close"), out);
        assertFalse(SEEN.contains("/restricted/"), "the hidden request reached a handler");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '>', value = {
        "chunked ,        > 5",
        ", chunked        > 5",
        "Chunked          > 5",
    })
    void aTransferEncodingListWithEmptyElementsIsStillChunked(String te, int length) throws IOException {
        String out = sendAll("POST /c HTTP/1.1|Host: a|Transfer-Encoding: " + te + "||5|hello|0||" + HIDDEN);
        assertEquals(List.of("HTTP/1.1 200 OK", "HTTP/1.1 200 OK"), statusLines(out), out);
        assertTrue(out.contains("/c " + length), out);
    }

    /** Chunk lines end in CRLF: a bare LF or CR anywhere in them is a 400, never a resynchronisation. */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '>', value = {
        "size line ends in a bare LF           > 5{LF}hello|0||",
        "chunk data ends in a bare LF          > 5|hello{LF}0||",
        "last chunk ends in a bare LF          > 5|hello|0{LF}|",
        "the body ends in a bare LF            > 5|hello|0|{LF}",
        "a trailer ends in a bare LF           > 5|hello|0|X-T: 1{LF}|",
        "a bare CR in the size line            > 5{CR};a=b|hello|0||",
        "an extension without a name           > 5;|hello|0||",
        "an extension with an empty value      > 5;a=|hello|0||",
        "an extension that is not a token      > 5;a b|hello|0||",
        "an unterminated quoted extension      > 5;a=\"b|hello|0||",
        "white space after the size alone      > 5 |hello|0||",
        "a trailer that is not a field         > 5|hello|0|not a field||",
    })
    void malformedChunkedFramingIs400(String what, String body) throws IOException {
        String out = sendAll("POST /c HTTP/1.1|Host: a|Transfer-Encoding: chunked||" + body + HIDDEN);
        List<String> lines = statusLines(out);
        assertEquals(1, lines.size(), what + ": " + out);
        assertTrue(lines.get(0).startsWith("HTTP/1.1 400"), what + ": " + out);
        assertFalse(SEEN.contains("/restricted/"), "the hidden request reached a handler");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '>', value = {
        "an extension                          > 5;name|hello|0||",
        "an extension with a token value       > 5;name=value|hello|0||",
        "extensions with white space           > 5 ; a = b ;c|hello|0||",
        "a quoted extension value              > 5;a=\"x; \\\"y\\\"\"|hello|0||",
        "a trailer field                       > 5|hello|0|X-Checksum: 1||",
    })
    void wellFormedChunkedFramingIsServed(String what, String body) throws IOException {
        String out = sendAll("POST /c HTTP/1.1|Host: a|Transfer-Encoding: chunked||" + body + "GET /after HTTP/1.1|Host: a||");
        assertEquals(List.of("HTTP/1.1 200 OK", "HTTP/1.1 200 OK"), statusLines(out), what + ": " + out);
        assertTrue(out.contains("/c 5") && out.contains("/after 0"), what + ": " + out);
    }

    @Test
    void chunkExtensionsCountTowardTheBodyLimit() throws IOException {
        // 20 chunks of one byte, each with 4,000 bytes of extension: 80,000 bytes against a 64 KiB limit
        StringBuilder body = new StringBuilder();
        String extension = ";x=" + "a".repeat(3997);
        for (int i = 0; i < 20; i++) body.append("1").append(extension).append("\r\nz\r\n");
        body.append("0\r\n\r\n");
        String out = sendAll("POST /c HTTP/1.1|Host: a|Transfer-Encoding: chunked||" + body);
        assertTrue(out.startsWith("HTTP/1.1 413"), out.substring(0, Math.min(200, out.length())));
    }

    @Test
    void aHeaderLineLongerThanTheFieldLimitIs431() throws IOException {
        String justUnder = "X-Long: " + "a".repeat(8192 - 8);
        String over = "X-Long: " + "a".repeat(8192 - 7);
        String ok = sendAll("GET /a HTTP/1.1|Host: a|" + justUnder + "|Connection: close||");
        assertTrue(ok.startsWith("HTTP/1.1 200"), ok);
        String refused = sendAll("GET /a HTTP/1.1|Host: a|" + over + "||");
        assertTrue(refused.startsWith("HTTP/1.1 431"), refused);
        String sixteen = sendAll("GET /a HTTP/1.1|Host: a|X-Long: " + "b".repeat(16 * 1024) + "||");
        assertTrue(sixteen.startsWith("HTTP/1.1 431"), sixteen);
        assertEquals(List.of("/a"), SEEN);
    }

    @Test
    void manyHeaderLinesUnderTheFieldLimitStillMeetTheBlockLimit() throws IOException {
        StringBuilder head = new StringBuilder("GET /a HTTP/1.1|Host: a|");
        for (int i = 0; i < 5; i++) head.append("X-F").append(i).append(": ").append("c".repeat(7000)).append('|');
        String out = sendAll(head + "|");
        assertTrue(out.startsWith("HTTP/1.1 431"), out);
    }
}

package dev.porta.server.connection;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.porta.server.testing.RawClient;
import dev.porta.server.EmbeddedPorta;
import dev.porta.spi.Body;
import dev.porta.spi.CompletedExchange;
import dev.porta.spi.Handler;
import dev.porta.spi.Response;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The core's HTTP/1.1 behaviour over real sockets (RFC 9112). */
class HttpConformanceTest {

    @TempDir
    static Path root;
    static EmbeddedPorta server;
    static final HttpClient CLIENT = HttpClient.newHttpClient();

    /** Answers with what it saw: method, path, query, body. */
    static final Handler ECHO = (request, chain) -> {
        if (request.path().equals("/boom")) throw new IllegalStateException("this handler fails on purpose");
        if (request.path().equals("/stream")) {
            return Response.of(200).withBody(new Body.Stream(new ByteArrayInputStream("streamed body".getBytes()), -1));
        }
        if (request.path().startsWith("/missing")) return chain.next(request);
        byte[] body = request.body().readAllBytes();
        String text = request.method() + " " + request.path() + " q=" + request.query() + " body=" + new String(body, StandardCharsets.UTF_8);
        return Response.of(200).withHeader("Content-Type", "text/plain").withBody(Body.of(text));
    };

    @BeforeAll
    static void start() throws IOException {
        Files.writeString(root.resolve("404.html"), "<p>custom not found</p>");
        server = EmbeddedPorta.builder(root).config("limits.body-bytes = 64k\nlimits.header-count = 20\n").handler("echo", ECHO).start();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void answersARealClient() throws Exception {
        HttpResponse<String> r = CLIENT.send(HttpRequest.newBuilder(server.uri("/hello%20there?x=1")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode());
        assertEquals("GET /hello there q=x=1 body=", r.body());
        assertEquals("Porta", r.headers().firstValue("Server").orElseThrow());
        assertTrue(r.headers().firstValue("Date").orElseThrow().endsWith(" GMT"));
        HttpResponse<String> post = CLIENT.send(HttpRequest.newBuilder(server.uri("/p"))
                .POST(HttpRequest.BodyPublishers.ofString("payload")).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals("POST /p q= body=payload", post.body());
    }

    @Test
    void keepsTheConnectionAliveAcrossRequests() throws IOException {
        try (RawClient c = new RawClient(server.port())) {
            for (int i = 0; i < 3; i++) {
                c.send("GET /k" + i + " HTTP/1.1\r\nHost: a\r\n\r\n");
                assertTrue(c.readResponse().endsWith("GET /k" + i + " q= body="));
            }
            assertFalse(c.isClosedByServer(200));
        }
    }

    @Test
    void answersPipelinedRequestsInOrder() throws IOException {
        try (RawClient c = new RawClient(server.port())) {
            c.send("GET /one HTTP/1.1\r\nHost: a\r\n\r\nPOST /two HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\n\r\nabcGET /three HTTP/1.1\r\nHost: a\r\n\r\n");
            assertTrue(c.readResponse().endsWith("GET /one q= body="));
            assertTrue(c.readResponse().endsWith("POST /two q= body=abc"));
            assertTrue(c.readResponse().endsWith("GET /three q= body="));
        }
    }

    @Test
    void closesWhenAsked() throws IOException {
        try (RawClient c = new RawClient(server.port())) {
            c.send("GET / HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n");
            assertTrue(c.readResponse().contains("\r\nConnection: close\r\n"));
            assertTrue(c.isClosedByServer(2000));
        }
    }

    @Test
    void http10ClosesUnlessKeepAliveIsAsked() throws IOException {
        try (RawClient c = new RawClient(server.port())) {
            c.send("GET /a HTTP/1.0\r\n\r\n");
            String r = c.readResponse();
            assertTrue(r.startsWith("HTTP/1.1 200 "), r);
            assertTrue(c.isClosedByServer(2000));
        }
        try (RawClient c = new RawClient(server.port())) {
            c.send("GET /a HTTP/1.0\r\nConnection: keep-alive\r\n\r\n");
            assertTrue(c.readResponse().contains("\r\nConnection: keep-alive\r\n"));
            c.send("GET /b HTTP/1.0\r\nConnection: keep-alive\r\n\r\n");
            assertTrue(c.readResponse().endsWith("GET /b q= body="));
        }
    }

    @Test
    void http10GetsAStreamDelimitedByClose() throws IOException {
        try (RawClient c = new RawClient(server.port())) {
            c.send("GET /stream HTTP/1.0\r\nConnection: keep-alive\r\n\r\n");
            String r = c.readToEnd();
            assertTrue(r.endsWith("\r\n\r\nstreamed body"), r);
            assertFalse(r.toLowerCase().contains("transfer-encoding"));
        }
    }

    @Test
    void streamsOfUnknownLengthAreChunked() throws IOException {
        try (RawClient c = new RawClient(server.port())) {
            c.send("GET /stream HTTP/1.1\r\nHost: a\r\n\r\n");
            String r = c.readResponse();
            assertTrue(r.contains("Transfer-Encoding: chunked"), r);
            assertTrue(r.endsWith("streamed body"), r);
        }
    }

    @Test
    void readsAChunkedBodyAndKeepsInStep() throws IOException {
        try (RawClient c = new RawClient(server.port())) {
            c.send("POST /c HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n"
                    + "5;ext=1\r\nhello\r\n6\r\n world\r\n0\r\nTrailer: x\r\n\r\n"
                    + "GET /after HTTP/1.1\r\nHost: a\r\n\r\n");
            assertTrue(c.readResponse().endsWith("POST /c q= body=hello world"));
            assertTrue(c.readResponse().endsWith("GET /after q= body="));
        }
    }

    @Test
    void drainsABodyTheHandlerDidNotRead() throws IOException {
        try (RawClient c = new RawClient(server.port())) {
            c.send("POST /missing HTTP/1.1\r\nHost: a\r\nContent-Length: 10\r\n\r\n0123456789"
                    + "GET /next HTTP/1.1\r\nHost: a\r\n\r\n");
            assertTrue(c.readResponse().startsWith("HTTP/1.1 404 "));
            assertTrue(c.readResponse().endsWith("GET /next q= body="));
        }
    }

    @Test
    void headGetsHeadersWithoutBody() throws IOException {
        try (RawClient c = new RawClient(server.port())) {
            c.send("HEAD /h HTTP/1.1\r\nHost: a\r\n\r\nGET /g HTTP/1.1\r\nHost: a\r\n\r\n");
            String head = c.readResponse(true);
            assertTrue(head.contains("Content-Length: 16\r\n"), head);
            assertTrue(head.endsWith("\r\n\r\n"));
            assertTrue(c.readResponse().endsWith("GET /g q= body="), "no body bytes were left between the two");
        }
    }

    @Test
    void expectContinueSendsContinueBeforeTheBody() throws IOException {
        try (RawClient c = new RawClient(server.port())) {
            c.send("POST /e HTTP/1.1\r\nHost: a\r\nContent-Length: 4\r\nExpect: 100-continue\r\n\r\n");
            String interim = new String(c.socket().getInputStream().readNBytes(25), StandardCharsets.ISO_8859_1);
            assertEquals("HTTP/1.1 100 Continue\r\n\r\n", interim);
            c.send("data");
            assertTrue(c.readResponse().endsWith("POST /e q= body=data"));
        }
        assertTrue(RawClient.exchange(server.port(), "POST /e HTTP/1.1\r\nHost: a\r\nContent-Length: 4\r\nExpect: magic\r\n\r\n")
                .startsWith("HTTP/1.1 417 "));
    }

    @Test
    void aThrowingHandlerCostsOnlyItsRequest() throws IOException {
        try (RawClient c = new RawClient(server.port())) {
            c.send("GET /boom HTTP/1.1\r\nHost: a\r\n\r\n");
            assertTrue(c.readResponse().startsWith("HTTP/1.1 500 "));
            c.send("GET /fine HTTP/1.1\r\nHost: a\r\n\r\n");
            assertTrue(c.readResponse().endsWith("GET /fine q= body="));
        }
    }

    @Test
    void errorsGetTheConfiguredPage() throws IOException {
        String r = RawClient.exchange(server.port(), "GET /missing HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n");
        assertTrue(r.startsWith("HTTP/1.1 404 Not Found\r\n"), r);
        assertTrue(r.endsWith("<p>custom not found</p>"), r);
        String builtIn = RawClient.exchange(server.port(), "GET /boom HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n");
        assertTrue(builtIn.contains("<h1>500 Internal Server Error</h1>"), builtIn);
    }

    @Test
    void optionsAsteriskIsAnswered() throws IOException {
        assertTrue(RawClient.exchange(server.port(), "OPTIONS * HTTP/1.1\r\nHost: a\r\n\r\n").contains("Allow: "));
    }

    @ParameterizedTest(name = "[{index}] {1}")
    @CsvSource(delimiter = '|', value = {
        "GET / HTTP/1.1\\r\\n\\r\\n                                                        | 400 | no Host in 1.1",
        "GET / HTTP/1.1\\r\\nHost: a\\r\\nHost: b\\r\\n\\r\\n                              | 400 | two Hosts",
        "GET / HTTP/1.1\\r\\nHost: a b\\r\\n\\r\\n                                         | 400 | bad Host",
        "GET / HTTP/1.1\\r\\nHost : a\\r\\n\\r\\n                                          | 400 | space before colon",
        "GET / HTTP/1.1\\r\\nHost: a\\r\\nX: 1\\r\\n 2\\r\\n\\r\\n                          | 400 | obs-fold",
        "GET  / HTTP/1.1\\r\\nHost: a\\r\\n\\r\\n                                          | 400 | double space",
        "GET / HTTP/2.0\\r\\nHost: a\\r\\n\\r\\n                                           | 505 | major version 2",
        "BREW / HTTP/1.1\\r\\nHost: a\\r\\n\\r\\n                                          | 501 | unknown method",
        "POST / HTTP/1.1\\r\\nHost: a\\r\\nContent-Length: 3\\r\\nTransfer-Encoding: chunked\\r\\n\\r\\nabc | 400 | CL and TE",
        "POST / HTTP/1.1\\r\\nHost: a\\r\\nContent-Length: 3\\r\\nContent-Length: 4\\r\\n\\r\\nabc | 400 | differing CL",
        "POST / HTTP/1.1\\r\\nHost: a\\r\\nContent-Length: 3, 4\\r\\n\\r\\nabc                | 400 | differing CL list",
        "POST / HTTP/1.1\\r\\nHost: a\\r\\nContent-Length: -1\\r\\n\\r\\n                     | 400 | negative CL",
        "POST / HTTP/1.1\\r\\nHost: a\\r\\nContent-Length: 99999999\\r\\n\\r\\n               | 413 | body over limit",
        "POST / HTTP/1.1\\r\\nHost: a\\r\\nTransfer-Encoding: chunked\\r\\n\\r\\nzz\\r\\n       | 400 | bad chunk size",
        "POST / HTTP/1.1\\r\\nHost: a\\r\\nTransfer-Encoding: chunked\\r\\n\\r\\n3\\r\\nabcX\\r\\n0\\r\\n\\r\\n | 400 | chunk without CRLF",
        "POST / HTTP/1.1\\r\\nHost: a\\r\\nTransfer-Encoding: chunked\\r\\n\\r\\n20000\\r\\n      | 413 | chunk over limit",
        "POST / HTTP/1.1\\r\\nHost: a\\r\\nTransfer-Encoding: gzip\\r\\n\\r\\n                 | 400 | TE without chunked",
        "POST / HTTP/1.1\\r\\nHost: a\\r\\nTransfer-Encoding: gzip, chunked\\r\\n\\r\\n          | 501 | unknown coding",
        "POST / HTTP/1.0\\r\\nTransfer-Encoding: chunked\\r\\n\\r\\n0\\r\\n\\r\\n                | 400 | TE in 1.0",
        "GET /%2e%2e/etc/passwd HTTP/1.1\\r\\nHost: a\\r\\n\\r\\n                            | 400 | climbs above root",
        "GET /a%2fb HTTP/1.1\\r\\nHost: a\\r\\n\\r\\n                                       | 400 | encoded slash",
        "GET /a%00b HTTP/1.1\\r\\nHost: a\\r\\n\\r\\n                                       | 400 | NUL",
        "GET /a\\\\b HTTP/1.1\\r\\nHost: a\\r\\n\\r\\n                                       | 400 | backslash",
        "GET /%c0%ae%c0%ae/ HTTP/1.1\\r\\nHost: a\\r\\n\\r\\n                                | 400 | overlong UTF-8",
        "GET / HTTP/1.1\\r\\nHost: a\\r\\nX: \\u0001\\r\\n\\r\\n                              | 400 | control char",
    })
    void refusesMalformedRequestsAndCloses(String request, int status, String why) throws IOException {
        String raw = request.replace("\\r", "\r").replace("\\n", "\n").replace("\\u0001", "\u0001").replace("\\\\", "\\");
        try (RawClient c = new RawClient(server.port())) {
            c.send(raw);
            String response = c.readResponse();
            assertTrue(response.startsWith("HTTP/1.1 " + status + " "), why + ": " + response);
            assertTrue(response.contains("\r\nConnection: close\r\n"), why);
            assertTrue(c.isClosedByServer(3000), why + ": the connection must be closed");
        }
    }

    @Test
    void longTargetIs414AndManyHeadersAre431() throws IOException {
        assertTrue(RawClient.exchange(server.port(), "GET /" + "a".repeat(9000) + " HTTP/1.1\r\nHost: a\r\n\r\n").startsWith("HTTP/1.1 414 "));
        StringBuilder many = new StringBuilder("GET / HTTP/1.1\r\nHost: a\r\n");
        for (int i = 0; i < 30; i++) many.append("X-").append(i).append(": v\r\n");
        assertTrue(RawClient.exchange(server.port(), many + "\r\n").startsWith("HTTP/1.1 431 "));
        assertTrue(RawClient.exchange(server.port(), "GET / HTTP/1.1\r\nHost: a\r\nX: " + "v".repeat(40_000) + "\r\n\r\n")
                .startsWith("HTTP/1.1 431 "));
    }

    @Test
    void observersSeeRefusedRequestsWithTheirRawLine() throws Exception {
        int before = server.exchanges().size();
        RawClient.exchange(server.port(), "GET /x HTTP/3.0\r\nHost: a\r\n\r\n");
        CompletedExchange e = server.awaitExchanges(before + 1).stream().filter(x -> x.requestLine().equals("GET /x HTTP/3.0")).findFirst().orElseThrow();
        assertTrue(e.request().isEmpty());
        assertEquals("GET /x HTTP/3.0", e.requestLine());
    }

    @Test
    void observersSeeBytesSentAndHeaders() throws Exception {
        HttpResponse<String> r = CLIENT.send(HttpRequest.newBuilder(server.uri("/observed")).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode());
        long deadline = System.nanoTime() + 5_000_000_000L;
        CompletedExchange e = null;
        while (e == null && System.nanoTime() < deadline) {
            e = server.exchanges().stream().filter(x -> x.request().map(q -> q.path().equals("/observed")).orElse(false))
                    .findFirst().orElse(null);
        }
        assertEquals(r.body().length(), e.bodyBytes());
        assertEquals("GET /observed HTTP/1.1", e.requestLine());
        assertTrue(e.responseHeaders().first("Date").isPresent());
    }

    @Test
    void absoluteFormTargetsAreServed() throws IOException {
        String r = RawClient.exchange(server.port(), "GET http://example.org/abs?q=1 HTTP/1.1\r\nHost: example.org\r\nConnection: close\r\n\r\n");
        assertTrue(r.endsWith("GET /abs q=q=1 body="), r);
    }
}

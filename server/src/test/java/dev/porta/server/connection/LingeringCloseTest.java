package dev.porta.server.connection;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.porta.server.testing.RawClient;
import dev.porta.server.EmbeddedPorta;
import dev.porta.spi.Body;
import dev.porta.spi.Handler;
import dev.porta.spi.Response;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * When Porta closes a connection while the client may still be sending, the client still reads every
 * response written and then a clean end of stream, never a reset (RFC 9112 §9.6).
 */
class LingeringCloseTest {

    @TempDir
    Path root;

    /** Answers at once, without reading any body. */
    static final Handler ANSWER_AT_ONCE = (request, chain) -> Response.of(request.path().startsWith("/private") ? 401 : 200)
            .withBody(Body.of("ok " + request.path()));

    @Test
    @Timeout(60)
    void pipelinedRequestsPastTheLimitGetEveryResponseAndACleanEnd() throws Exception {
        try (EmbeddedPorta server = EmbeddedPorta.builder(root).handler("ok", ANSWER_AT_ONCE).start();
             RawClient c = new RawClient(server.port())) {
            StringBuilder all = new StringBuilder();
            for (int i = 0; i < 1100; i++) all.append("GET /r").append(i).append(" HTTP/1.1\r\nHost: a\r\n\r\n");
            byte[] requests = all.toString().getBytes(StandardCharsets.ISO_8859_1);
            CompletableFuture<Void> sending = CompletableFuture.runAsync(() -> {
                try {
                    c.send(requests);
                } catch (IOException e) {
                    throw new IllegalStateException("the server reset the connection while we sent", e);
                }
            });
            String received = readUntilEnd(c.socket().getInputStream());
            sending.join();
            assertEquals(1000, count(received, "HTTP/1.1 200 OK"));
            assertTrue(received.endsWith("ok /r999"), "the last response is whole");
        }
    }

    @Test
    @Timeout(60)
    void aResponseWithConnectionCloseBeforeTheBodyWasReadArrivesWhole() throws Exception {
        try (EmbeddedPorta server = EmbeddedPorta.builder(root).handler("ok", ANSWER_AT_ONCE).start();
             RawClient c = new RawClient(server.port())) {
            byte[] body = new byte[4 << 20];
            String head = "POST /private/upload HTTP/1.1\r\nHost: a\r\nConnection: close\r\nContent-Length: " + body.length + "\r\n\r\n";
            OutputStream out = c.socket().getOutputStream();
            CompletableFuture<Void> sending = CompletableFuture.runAsync(() -> {
                try {
                    out.write(head.getBytes(StandardCharsets.ISO_8859_1));
                    for (int off = 0; off < body.length; off += 64 * 1024) {
                        out.write(body, off, 64 * 1024);
                        Thread.sleep(1); // a client on a slower link: most of the body arrives after the answer
                    }
                } catch (IOException | InterruptedException e) {
                    // the server may close after it read for a while: the point is what we read back
                }
            });
            String received = readUntilEnd(c.socket().getInputStream());
            assertTrue(received.startsWith("HTTP/1.1 401 "), received);
            assertTrue(received.endsWith("ok /private/upload"), received);
            sending.join();
        }
    }

    @Test
    @Timeout(60)
    void aBodyTrickledAfterAnEarlyAnswerCannotHoldTheConnectionOpen() throws Exception {
        try (EmbeddedPorta server = EmbeddedPorta.builder(root).config("timeouts.body = 5s\n").handler("ok", ANSWER_AT_ONCE).start();
             RawClient c = new RawClient(server.port())) {
            c.send("POST /private/slow HTTP/1.1\r\nHost: a\r\nContent-Length: 10000000\r\n\r\n");
            assertTrue(c.readResponse().startsWith("HTTP/1.1 401 "));
            long start = System.nanoTime();
            boolean closed = false;
            // one byte every 300 ms: never idle long enough for timeouts.body, far too slow to finish
            while (!closed && System.nanoTime() - start < 30_000_000_000L) {
                try {
                    c.send("x");
                    closed = c.isClosedByServer(300);
                } catch (IOException reset) {
                    closed = true;
                }
            }
            assertTrue(closed, "the server gave up on the body");
            assertTrue(System.nanoTime() - start < 15_000_000_000L, "within the drain and linger bounds, not at the end of the body");
        }
    }

    @Test
    @Timeout(60)
    void aClientRefusedBecauseTheServerIsFullReadsItsAnswerAndACleanEnd() throws Exception {
        try (EmbeddedPorta server = EmbeddedPorta.builder(root).config("limits.max-connections = 1\n").handler("ok", ANSWER_AT_ONCE).start();
             RawClient held = new RawClient(server.port())) {
            held.send("GET / HTTP/1.1\r\nHost: a\r\n\r\n");
            held.readResponse();
            for (int i = 0; i < 5; i++) {
                try (RawClient refused = new RawClient(server.port())) {
                    StringBuilder pipelined = new StringBuilder();
                    for (int k = 0; k < 50; k++) pipelined.append("GET /r").append(k).append(" HTTP/1.1\r\nHost: a\r\n\r\n");
                    refused.send(pipelined.toString());
                    String answer = readUntilEnd(refused.socket().getInputStream()); // a reset fails here
                    assertTrue(answer.startsWith("HTTP/1.1 503 "), answer);
                }
            }
        }
    }

    /** Reads to the end of the stream; a reset fails the test (that is what lingering prevents). */
    static String readUntilEnd(InputStream in) throws IOException {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        in.transferTo(buf);
        return buf.toString(StandardCharsets.ISO_8859_1);
    }

    static int count(String text, String what) {
        int n = 0;
        for (int i = text.indexOf(what); i >= 0; i = text.indexOf(what, i + 1)) n++;
        return n;
    }
}

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
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Bodies a handler writes as it goes ({@code Body.generated}): chunked and flushed, or of a known length. */
class GeneratedBodyTest {

    @TempDir
    Path root;

    final CountDownLatch firstEventRead = new CountDownLatch(1);

    Handler handler() {
        return (request, chain) -> switch (request.path()) {
            case "/events" -> Response.of(200).withHeader("Content-Type", "text/event-stream")
                    .withBody(Body.generated(out -> {
                        out.write("data: one\n\n".getBytes(StandardCharsets.UTF_8));
                        out.flush(); // must reach the client now, while the handler still runs
                        try {
                            if (!firstEventRead.await(10, TimeUnit.SECONDS)) throw new IllegalStateException("not flushed");
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                        out.write("data: two\n\n".getBytes(StandardCharsets.UTF_8));
                    }));
            case "/fixed" -> Response.of(200).withBody(Body.generated(10, out -> out.write("0123456789".getBytes(StandardCharsets.US_ASCII))));
            case "/big" -> Response.of(200).withBody(Body.generated(out -> {
                byte[] line = "x".repeat(999).concat("\n").getBytes(StandardCharsets.US_ASCII);
                for (int i = 0; i < 1000; i++) out.write(line);
            }));
            case "/short" -> Response.of(200).withBody(Body.generated(10, out -> out.write("0123".getBytes(StandardCharsets.US_ASCII))));
            case "/long" -> Response.of(200).withBody(Body.generated(2, out -> out.write("0123".getBytes(StandardCharsets.US_ASCII))));
            default -> chain.next(request);
        };
    }

    @Test
    @Timeout(20)
    void aFlushReachesTheClientWhileTheHandlerIsStillWriting() throws Exception {
        try (EmbeddedPorta server = EmbeddedPorta.builder(root).handler("sse", handler()).start();
             RawClient c = new RawClient(server.port())) {
            c.send("GET /events HTTP/1.1\r\nHost: a\r\n\r\n");
            BufferedReader in = new BufferedReader(new InputStreamReader(c.socket().getInputStream(), StandardCharsets.ISO_8859_1));
            StringBuilder seen = new StringBuilder();
            String line;
            while ((line = in.readLine()) != null) {
                seen.append(line).append('\n');
                if (line.equals("data: one")) break;
            }
            assertTrue(seen.toString().contains("Transfer-Encoding: chunked"), seen.toString());
            firstEventRead.countDown();
            while ((line = in.readLine()) != null && !line.equals("0")) seen.append(line).append('\n');
            assertTrue(seen.toString().contains("data: two"), seen.toString());
        }
    }

    @Test
    void aKnownLengthIsSentAsContentLengthAndTheConnectionStaysInStep() throws Exception {
        try (EmbeddedPorta server = EmbeddedPorta.builder(root).handler("gen", handler()).start();
             RawClient c = new RawClient(server.port())) {
            c.send("GET /fixed HTTP/1.1\r\nHost: a\r\n\r\n");
            String r = c.readResponse();
            assertTrue(r.contains("Content-Length: 10") && r.endsWith("0123456789"), r);
            c.send("GET /big HTTP/1.1\r\nHost: a\r\n\r\n");
            String big = c.readResponse();
            assertTrue(big.endsWith("x\n") && big.length() > 1_000_000, "a megabyte in chunks");
            c.send("HEAD /fixed HTTP/1.1\r\nHost: a\r\n\r\n");
            assertTrue(c.readResponse(true).contains("Content-Length: 10"));
            c.send("GET /fixed HTTP/1.1\r\nHost: a\r\n\r\n");
            assertTrue(c.readResponse().endsWith("0123456789"), "still in step after HEAD");
        }
    }

    @Test
    void aBodyShorterOrLongerThanItsLengthClosesTheConnectionAndIsCutShort() throws Exception {
        try (EmbeddedPorta server = EmbeddedPorta.builder(root).handler("gen", handler()).start()) {
            for (String path : new String[] {"/short", "/long"}) {
                int before = server.exchanges().size();
                try (RawClient c = new RawClient(server.port())) {
                    c.send("GET " + path + " HTTP/1.1\r\nHost: a\r\n\r\n");
                    String all = c.readToEnd(); // the head may or may not have gone out; never a whole body
                    assertTrue(all.isEmpty() || all.startsWith("HTTP/1.1 200"), all);
                    assertFalse(all.contains("0123456789"), all);
                }
                CompletedExchange e = server.awaitExchanges(before + 1).get(before);
                assertTrue(e.cutShort(), path);
                assertEquals(200, e.status());
            }
        }
    }
}

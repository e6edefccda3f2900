package dev.porta.server.connection;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.porta.server.testing.RawClient;
import dev.porta.server.EmbeddedPorta;
import dev.porta.spi.Body;
import dev.porta.spi.Handler;
import dev.porta.spi.Response;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Timeouts, connection limits, load and graceful shutdown, over real sockets. */
class LimitsAndTimeoutsTest {

    @TempDir
    Path root;

    static final Handler OK = (request, chain) -> Response.of(200).withBody(Body.of("ok " + request.path()));

    @Test
    @Timeout(20)
    void aTrustedProxyIsExemptFromThePerClientCapOthersAreNot() throws Exception {
        try (EmbeddedPorta server = EmbeddedPorta.builder(root)
                .config("limits.max-connections-per-client = 1\nserver.trusted-proxies = 127.0.0.1\n").handler("ok", OK).start();
             RawClient proxy1 = new RawClient(server.port(), "127.0.0.1");
             RawClient proxy2 = new RawClient(server.port(), "127.0.0.1");
             RawClient other1 = new RawClient(server.port(), "127.0.0.2");
             RawClient other2 = new RawClient(server.port(), "127.0.0.2")) {
            for (RawClient c : List.of(proxy1, proxy2, other1)) {
                c.send("GET /p HTTP/1.1\r\nHost: a\r\nX-Forwarded-For: 10.9.9.9\r\n\r\n");
                assertTrue(c.readResponse().startsWith("HTTP/1.1 200"), "served");
            }
            other2.send("GET /p HTTP/1.1\r\nHost: a\r\n\r\n");
            assertTrue(other2.readResponse().startsWith("HTTP/1.1 503"), "an ordinary client stays capped");
        }
    }

    @Test
    @Timeout(20)
    void aTricklingClientIsCutOffWhenTheHeaderTimeRunsOut() throws Exception {
        try (EmbeddedPorta server = EmbeddedPorta.builder(root).config("timeouts.header = 1s\n").handler("ok", OK).start();
             RawClient c = new RawClient(server.port())) {
            String request = "GET / HTTP/1.1\r\nHost: a\r\nX-Slow: " + "x".repeat(100) + "\r\n\r\n";
            long start = System.nanoTime();
            StringBuilder answer = new StringBuilder();
            try {
                for (char ch : request.toCharArray()) {
                    c.send(String.valueOf(ch)); // one byte every 50 ms: never idle for long, but too slow in all
                    Thread.sleep(50);
                    if (c.socket().getInputStream().available() > 0) break;
                }
            } catch (IOException closed) {
                // the server may have closed while we were still writing
            }
            answer.append(c.readToEnd());
            long elapsedMs = (System.nanoTime() - start) / 1_000_000;
            assertTrue(answer.toString().startsWith("HTTP/1.1 408 "), answer.toString());
            assertTrue(elapsedMs < 4000, "cut off after " + elapsedMs + " ms, not when the client finished");
        }
    }

    @Test
    @Timeout(20)
    void anIdleKeepAliveConnectionIsClosed() throws Exception {
        try (EmbeddedPorta server = EmbeddedPorta.builder(root).config("timeouts.idle = 300ms\n").handler("ok", OK).start();
             RawClient c = new RawClient(server.port())) {
            c.send("GET / HTTP/1.1\r\nHost: a\r\n\r\n");
            assertTrue(c.readResponse().endsWith("ok /"));
            assertTrue(c.isClosedByServer(3000));
        }
    }

    @Test
    @Timeout(30)
    void aClientThatStopsReadingIsReleasedByTheWriteTimeout() throws Exception {
        Handler huge = (request, chain) -> Response.of(200).withBody(new Body.Stream(new InputStream() {
            @Override
            public int read() {
                return 'x';
            }

            @Override
            public int read(byte[] b, int off, int len) {
                java.util.Arrays.fill(b, off, off + len, (byte) 'x');
                return len;
            }
        }, 1L << 30));
        try (EmbeddedPorta server = EmbeddedPorta.builder(root).config("timeouts.write = 500ms\n").handler("huge", huge).start();
             RawClient c = new RawClient(server.port())) {
            c.socket().setReceiveBufferSize(4096);
            c.send("GET / HTTP/1.1\r\nHost: a\r\n\r\n");
            // read nothing: the server's write blocks once the socket buffers are full
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            // first counted (on a busy machine the accept thread may not have taken it yet), then closed
            while (server.openConnections() == 0 && System.nanoTime() < deadline) Thread.sleep(5);
            while (server.openConnections() > 0 && System.nanoTime() < deadline) Thread.sleep(50);
            assertEquals(0, server.openConnections(), "the stalled connection must be closed");
        }
    }

    @Test
    @Timeout(30)
    void aClientThatReadsSlowlyButSteadilyIsNotCutOffByTheWriteTimeout() throws Exception {
        byte[] big = new byte[12 << 20]; // far more than the socket buffers hold: the server's writes wait for the client
        java.util.Arrays.fill(big, (byte) 'y');
        Handler large = (request, chain) -> Response.of(200).withBody(Body.of(big));
        try (EmbeddedPorta server = EmbeddedPorta.builder(root).config("timeouts.write = 700ms\n").handler("large", large).start();
             RawClient c = new RawClient(server.port())) {
            c.socket().setReceiveBufferSize(16384);
            c.socket().setSoTimeout(5000);
            c.send("GET / HTTP/1.1\r\nHost: a\r\n\r\n");
            InputStream in = c.socket().getInputStream();
            byte[] buf = new byte[16384];
            long got = 0;
            long start = System.nanoTime();
            // about 3 MB/s: the whole answer takes several write timeouts, each piece of it well within one
            for (int n; (n = in.read(buf)) >= 0; ) {
                got += n;
                if (got >= big.length) break;
                if (got % (64 * 1024) < n) Thread.sleep(20);
            }
            long took = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertTrue(got >= big.length, "the slow reader got " + got + " bytes in " + took + " ms, of " + big.length + " and a head");
            assertTrue(took > 1400, "slow enough to span two write timeouts: " + took + " ms");
        }
    }

    @Test
    @Timeout(60)
    void aThousandConcurrentConnectionsAreAllAnswered() throws Exception {
        try (EmbeddedPorta server = EmbeddedPorta.builder(root).config("limits.max-connections-per-client = 2000\n").handler("ok", OK).start();
             ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            int connections = 1000;
            int perConnection = 3;
            CountDownLatch allConnected = new CountDownLatch(connections);
            AtomicInteger answered = new AtomicInteger();
            List<Future<?>> futures = new ArrayList<>();
            for (int i = 0; i < connections; i++) {
                int n = i;
                futures.add(pool.submit(() -> {
                    try (RawClient c = new RawClient(server.port())) {
                        allConnected.countDown();
                        allConnected.await(20, TimeUnit.SECONDS);
                        for (int k = 0; k < perConnection; k++) {
                            c.send("GET /c" + n + "-" + k + " HTTP/1.1\r\nHost: a\r\n\r\n");
                            if (c.readResponse().endsWith("ok /c" + n + "-" + k)) answered.incrementAndGet();
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : futures) f.get(50, TimeUnit.SECONDS);
            assertEquals(connections * perConnection, answered.get());
        }
    }

    @Test
    @Timeout(20)
    void beyondTheConnectionLimitAClientGetsAQuick503() throws Exception {
        try (EmbeddedPorta server = EmbeddedPorta.builder(root).config("limits.max-connections-per-client = 2\n").handler("ok", OK).start();
             RawClient a = new RawClient(server.port());
             RawClient b = new RawClient(server.port())) {
            a.send("GET / HTTP/1.1\r\nHost: a\r\n\r\n");
            a.readResponse();
            b.send("GET / HTTP/1.1\r\nHost: a\r\n\r\n");
            b.readResponse();
            try (RawClient third = new RawClient(server.port())) {
                String r = third.readToEnd();
                assertTrue(r.startsWith("HTTP/1.1 503 "), r);
            }
            assertTrue(server.awaitExchanges(3).stream().anyMatch(e -> e.status() == 503), "observers see the 503");
            a.close();
            Thread.sleep(200);
            try (RawClient again = new RawClient(server.port())) {
                again.send("GET /again HTTP/1.1\r\nHost: a\r\n\r\n");
                assertTrue(again.readResponse().endsWith("ok /again"), "a freed slot is usable again");
            }
        }
    }

    @Test
    @Timeout(20)
    void requestsPerConnectionAreLimited() throws Exception {
        try (EmbeddedPorta server = EmbeddedPorta.builder(root).config("limits.requests-per-connection = 2\n").handler("ok", OK).start();
             RawClient c = new RawClient(server.port())) {
            c.send("GET /1 HTTP/1.1\r\nHost: a\r\n\r\n");
            assertTrue(!c.readResponse().contains("Connection: close"));
            c.send("GET /2 HTTP/1.1\r\nHost: a\r\n\r\n");
            assertTrue(c.readResponse().contains("Connection: close"));
            assertTrue(c.isClosedByServer(2000));
        }
    }

    @Test
    @Timeout(30)
    void gracefulShutdownFinishesTheRequestInFlight() throws Exception {
        CountDownLatch inHandler = new CountDownLatch(1);
        Handler slow = (request, chain) -> {
            inHandler.countDown();
            try {
                Thread.sleep(1000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return Response.of(200).withBody(Body.of("finished"));
        };
        EmbeddedPorta server = EmbeddedPorta.builder(root).config("timeouts.grace = 10s\n").handler("slow", slow).start();
        HttpClient client = HttpClient.newHttpClient();
        var pending = client.sendAsync(HttpRequest.newBuilder(server.uri("/slow")).build(), HttpResponse.BodyHandlers.ofString());
        try (RawClient idle = new RawClient(server.port())) {
            assertTrue(inHandler.await(5, TimeUnit.SECONDS));
            server.close();
            HttpResponse<String> r = pending.get(10, TimeUnit.SECONDS);
            assertEquals(200, r.statusCode());
            assertEquals("finished", r.body());
            assertTrue(idle.isClosedByServer(1000), "idle connections are closed at once");
        }
        try (RawClient c = new RawClient(server.port())) {
            throw new AssertionError("the server still accepts connections");
        } catch (IOException refused) {
            // expected: no longer listening
        }
        assertEquals(0, server.openConnections());
    }
}

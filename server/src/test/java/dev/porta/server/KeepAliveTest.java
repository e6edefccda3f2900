package dev.porta.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.porta.server.config.CommandLine;
import dev.porta.server.config.ConfigFile;
import dev.porta.server.config.ServerConfig;
import dev.porta.server.pipeline.ErrorPages;
import dev.porta.server.pipeline.Pipeline;
import dev.porta.server.testing.RawClient;
import dev.porta.server.testing.TestCa;
import dev.porta.spi.Body;
import dev.porta.spi.Handler;
import dev.porta.spi.Response;
import java.io.IOException;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Keep-alive connections over real sockets: pipelined requests (plain, and over TLS where decrypted bytes wait
 * inside the TLS socket, not in the raw socket), serving again after idling, the idle timeout, graceful stop,
 * and idle connections that keep their threads (a virtual thread per connection) and serve again.
 */
class KeepAliveTest {

    @TempDir
    static Path dir;
    static TestCa ca;

    /** Answers with the path; {@code /slow} waits for {@link #goOn}. */
    static final class PathHandler implements Handler {
        final CountDownLatch inSlow = new CountDownLatch(1);
        final CountDownLatch goOn = new CountDownLatch(1);

        @Override
        public Response handle(dev.porta.spi.Request request, dev.porta.spi.Chain chain) {
            if (request.path().equals("/slow")) {
                inSlow.countDown();
                try {
                    goOn.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return Response.of(200).withBody(Body.of("path=" + request.path()));
        }
    }

    /** Counts the connection threads alive now (serving, or parked as spares), and all ever started. */
    static final class CountingThreads implements ThreadFactory {
        final AtomicInteger alive = new AtomicInteger();
        final AtomicInteger started = new AtomicInteger();
        private final ThreadFactory virtual = Thread.ofVirtual().factory();

        @Override
        public Thread newThread(Runnable r) {
            started.incrementAndGet();
            return virtual.newThread(() -> {
                alive.incrementAndGet();
                try {
                    r.run();
                } finally {
                    alive.decrementAndGet();
                }
            });
        }
    }

    @BeforeAll
    static void certificate() {
        ca = TestCa.create();
        TestCa.writePem(ca.issue("EC", "localhost"), dir.resolve("cert.pem"), dir.resolve("key.pem"), TestCa.KeyFormat.PKCS8);
    }

    static Server server(String config, Handler handler, ThreadFactory threads) throws IOException {
        Path root = Files.createDirectories(dir.resolve("www"));
        ServerConfig c = ServerConfig.read(ConfigFile.parse("test.properties", config),
                new CommandLine(Optional.empty(), OptionalInt.of(0), Optional.of(root), Optional.empty(), Optional.of("127.0.0.1")));
        Pipeline pipeline = new Pipeline(List.of(new Pipeline.Step("test", handler)), List.of(), new ErrorPages(c.root(), c.errorPages()));
        return new Server(c, pipeline, threads);
    }

    static String https() {
        return "server.https.port = 0\nserver.https.cert.local = " + dir.resolve("cert.pem") + ", " + dir.resolve("key.pem") + "\n";
    }

    /** A request of exactly {@code size} bytes (a header pads it). */
    static String request(String path, int size) {
        String head = "GET " + path + " HTTP/1.1\r\nHost: a\r\nX-Pad: ";
        return head + "p".repeat(Math.max(1, size - head.length() - 4)) + "\r\n\r\n";
    }

    static void pipelineThenIdleThenAgain(Socket socket, RawClient client) throws Exception {
        StringBuilder five = new StringBuilder();
        for (int i = 1; i <= 5; i++) five.append(request("/p" + i, 512)); // each fills the input buffer exactly
        client.send(five.toString()); // one write: over TLS one record, decrypted at once; after each exchange the
        // input buffer is empty while the TLS socket still holds the next requests, which the raw socket no longer has
        for (int i = 1; i <= 5; i++) {
            String r = client.readResponse();
            assertTrue(r.startsWith("HTTP/1.1 200") && r.endsWith("path=/p" + i), "pipelined response " + i + ": " + r);
        }
        Thread.sleep(300); // idle: the connection's thread now waits in a read
        client.send(request("/after-idle", 100));
        assertTrue(client.readResponse().endsWith("path=/after-idle"));
        assertFalse(socket.isClosed());
    }

    @Test
    @Timeout(30)
    void pipelinedRequestsAreAllAnsweredInOrderAndTheConnectionServesAgainAfterIdling() throws Exception {
        Server server = server("", new PathHandler(), Thread.ofVirtual().factory());
        int port = server.start().getPort();
        try (RawClient client = new RawClient(port)) {
            pipelineThenIdleThenAgain(client.socket(), client);
        } finally {
            server.stop();
        }
    }

    @Test
    @Timeout(30)
    void pipelinedRequestsOverTlsAreServedFromTheBytesAlreadyDecrypted() throws Exception {
        Server server = server(https(), new PathHandler(), Thread.ofVirtual().factory());
        server.start();
        try {
            for (String protocol : List.of("TLSv1.3", "TLSv1.2")) {
                SSLSocket tls = ca.connect(server.httpsAddress().orElseThrow().getPort(), "localhost", protocol);
                try (RawClient client = new RawClient(tls)) {
                    pipelineThenIdleThenAgain(tls, client);
                }
            }
        } finally {
            server.stop();
        }
    }

    @Test
    @Timeout(30)
    void anIdleConnectionIsClosedAfterTheIdleTimeoutAndItsAdmissionGivenBack() throws Exception {
        Server server = server("timeouts.idle = 500ms\nlimits.max-connections-per-client = 1\n", new PathHandler(),
                Thread.ofVirtual().factory());
        int port = server.start().getPort();
        try (RawClient client = new RawClient(port)) {
            client.send(request("/one", 60));
            assertTrue(client.readResponse().endsWith("path=/one"));
            long idleFrom = System.nanoTime();
            assertTrue(client.isClosedByServer(5000), "closed after the idle timeout");
            long waited = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - idleFrom);
            assertTrue(waited >= 400, "not before the idle timeout: " + waited + " ms");
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (server.openConnections() > 0 && System.nanoTime() < deadline) Thread.sleep(5); // closes, then counts
            assertEquals(0, server.openConnections());
            // the per-client cap of 1 is free again
            assertTrue(RawClient.exchange(port, "GET /two HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n").endsWith("path=/two"));
        } finally {
            server.stop();
        }
    }

    @Test
    @Timeout(30)
    void stopClosesIdleConnectionsAtOnceAndLetsABusyOneFinish() throws Exception {
        PathHandler handler = new PathHandler();
        Server server = server("timeouts.grace = 10s\n", handler, Thread.ofVirtual().factory());
        int port = server.start().getPort();
        List<RawClient> idle = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            RawClient c = new RawClient(port);
            c.send(request("/idle" + i, 60));
            assertTrue(c.readResponse().endsWith("path=/idle" + i));
            idle.add(c);
        }
        try (RawClient busy = new RawClient(port)) {
            busy.send(request("/slow", 60));
            assertTrue(handler.inSlow.await(5, TimeUnit.SECONDS));
            CompletableFuture<Void> stopped = CompletableFuture.runAsync(server::stop);
            for (RawClient c : idle) {
                assertTrue(c.isClosedByServer(3000), "an idle connection is closed at once by the stop");
                c.close();
            }
            assertFalse(stopped.isDone(), "the busy connection holds the stop");
            handler.goOn.countDown();
            String r = busy.readResponse();
            assertTrue(r.startsWith("HTTP/1.1 200") && r.contains("Connection: close") && r.endsWith("path=/slow"), r);
            stopped.get(10, TimeUnit.SECONDS);
            assertEquals(0, server.openConnections());
        }
    }

    @Test
    @Timeout(30)
    void idleConnectionsKeepTheirThreadsAndServeAgain() throws Exception {
        CountingThreads threads = new CountingThreads();
        Server server = server("", new PathHandler(), threads);
        int port = server.start().getPort();
        List<RawClient> clients = new ArrayList<>();
        try {
            for (int i = 0; i < 20; i++) {
                RawClient c = new RawClient(port);
                c.send(request("/first", 60));
                assertTrue(c.readResponse().endsWith("path=/first"));
                clients.add(c);
            }
            // a virtual thread per connection: each idle one waits on its own (parked in the JDK's poller)
            assertEquals(20, threads.alive.get(), "connection threads alive with 20 idle connections");
            assertEquals(20, server.openConnections());
            for (RawClient c : clients) {
                c.send(request("/second", 60));
                assertTrue(c.readResponse().endsWith("path=/second"), "an idle connection serves again");
            }
        } finally {
            for (RawClient c : clients) c.close();
            server.stop();
        }
        assertEquals(0, server.openConnections());
    }

    /** A TLS connection over {@code raw}, its handshake done; closing {@code raw} itself sends no close_notify. */
    static SSLSocket tlsOver(Socket raw, int port, String protocol) throws IOException {
        SSLSocket tls = (SSLSocket) ca.clientContext().getSocketFactory().createSocket(raw, "localhost", port, true);
        tls.setEnabledProtocols(new String[] {protocol});
        tls.setSoTimeout(10_000);
        tls.startHandshake();
        return tls;
    }

    /** Waits (bounded) until the server counts no connection. */
    static void awaitNoConnection(Server server) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (server.openConnections() > 0 && System.nanoTime() < deadline) Thread.sleep(5);
        assertEquals(0, server.openConnections(), "connections counted");
    }

    /**
     * After the connection ended, no thread serves it and none is started any more: every thread still alive
     * is a spare, parked until the next connection. {@code most}: the threads a connection may take in its life.
     */
    static void assertNothingSpins(Server server, CountingThreads threads, int most) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (threads.alive.get() > server.parkedConnectionThreads() && System.nanoTime() < deadline) Thread.sleep(5);
        assertEquals(server.parkedConnectionThreads(), threads.alive.get(), "connection threads alive beside the parked spares");
        int started = threads.started.get();
        assertTrue(started <= most, "connection threads started: " + started);
        Thread.sleep(300);
        assertEquals(started, threads.started.get(), "threads started after the connection ended");
    }

    @Test
    @Timeout(30)
    void aTlsClientClosingWithoutCloseNotifyIsClosedAndNothingSpins() throws Exception {
        CountingThreads threads = new CountingThreads();
        Server server = server(https(), new PathHandler(), threads);
        server.start();
        int port = server.httpsAddress().orElseThrow().getPort();
        try {
            for (String protocol : List.of("TLSv1.3", "TLSv1.2")) {
                threads.started.set(0);
                Socket raw = new Socket("127.0.0.1", port);
                raw.setSoTimeout(5000);
                SSLSocket tls = tlsOver(raw, port, protocol);
                try (RawClient client = new RawClient(tls)) {
                    client.send(request("/a", 60));
                    assertTrue(client.readResponse().endsWith("path=/a"));
                    Thread.sleep(200); // idle
                    // as a browser does: the TCP connection ends, no TLS close_notify before it
                    raw.shutdownOutput();
                    byte[] drop = new byte[4096];
                    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
                    int n = 0;
                    while (n >= 0 && System.nanoTime() < deadline) n = raw.getInputStream().read(drop);
                    assertEquals(-1, n, protocol + ": the server closed its side");
                    awaitNoConnection(server);
                    assertNothingSpins(server, threads, 3);
                }
            }
        } finally {
            server.stop();
        }
    }

    @Test
    @Timeout(30)
    void anIdleTlsConnectionIsClosedAfterTheIdleTimeoutAndNothingSpins() throws Exception {
        CountingThreads threads = new CountingThreads();
        Server server = server(https() + "timeouts.idle = 500ms\nlimits.max-connections-per-client = 1\n",
                new PathHandler(), threads);
        server.start();
        int port = server.httpsAddress().orElseThrow().getPort();
        try {
            for (String protocol : List.of("TLSv1.3", "TLSv1.2")) {
                threads.started.set(0);
                SSLSocket tls = ca.connect(port, "localhost", protocol);
                try (RawClient client = new RawClient(tls)) {
                    client.send(request("/one", 60));
                    assertTrue(client.readResponse().endsWith("path=/one"));
                    assertTrue(client.isClosedByServer(5000), protocol + ": closed after the idle timeout");
                }
                awaitNoConnection(server);
                assertNothingSpins(server, threads, 3);
                // the per-client cap of 1 is free again
                try (RawClient again = new RawClient(ca.connect(port, "localhost", protocol))) {
                    again.send(request("/two", 60));
                    assertTrue(again.readResponse().endsWith("path=/two"));
                }
                awaitNoConnection(server);
            }
        } finally {
            server.stop();
        }
    }

    @Test
    @Timeout(30)
    void aRequestHeadNotFinishedInTimeGets408OverTlsToo() throws Exception {
        CountingThreads threads = new CountingThreads();
        Server server = server(https() + "timeouts.header = 500ms\n", new PathHandler(), threads);
        server.start();
        int port = server.httpsAddress().orElseThrow().getPort();
        try {
            for (String protocol : List.of("TLSv1.3", "TLSv1.2")) {
                threads.started.set(0);
                try (RawClient client = new RawClient(ca.connect(port, "localhost", protocol))) {
                    client.send("GET /slow-head HTTP/1.1\r\nHost: a\r\n"); // and never the blank line
                    String r = client.readResponse();
                    assertTrue(r.startsWith("HTTP/1.1 408"), protocol + ": " + r);
                    assertTrue(client.isClosedByServer(5000), protocol + ": closed after the 408");
                }
                awaitNoConnection(server);
                assertNothingSpins(server, threads, 3);
            }
        } finally {
            server.stop();
        }
    }
}

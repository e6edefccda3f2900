package dev.porta.server.connection;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.porta.server.pipeline.ErrorPages;
import dev.porta.server.pipeline.Pipeline;
import dev.porta.server.testing.RawClient;
import dev.porta.server.EmbeddedPorta;
import dev.porta.spi.Body;
import dev.porta.spi.CompletedExchange;
import dev.porta.spi.ConnectionEvent;
import dev.porta.spi.ExchangeObserver;
import dev.porta.spi.Handler;
import dev.porta.spi.Response;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Nothing an observer throws, short of a VirtualMachineError, ends a server thread. */
class ObserverIsolationTest {

    @TempDir
    Path root;

    static final Handler OK = (request, chain) -> Response.of(200).withBody(Body.of("ok"));

    /** Throws an Error (not a VirtualMachineError) for every exchange. */
    static final ExchangeObserver THROWS_ERROR = exchange -> {
        throw new AssertionError("an observer that fails on purpose");
    };

    @Test
    @Timeout(30)
    void anObserverThatThrowsAnErrorOnARefusalDoesNotStopTheServerAccepting() throws Exception {
        try (EmbeddedPorta server = EmbeddedPorta.builder(root).config("limits.max-connections = 1\n")
                .handler("ok", OK).observer("bad", THROWS_ERROR).start()) {
            RawClient held = new RawClient(server.port());
            held.send("GET /held HTTP/1.1\r\nHost: a\r\n\r\n");
            assertTrue(held.readResponse().endsWith("ok"));
            for (int i = 0; i < 3; i++) {
                String refused = RawClient.exchange(server.port(), "GET / HTTP/1.1\r\nHost: a\r\n\r\n");
                assertTrue(refused.startsWith("HTTP/1.1 503"), refused);
            }
            held.close();
            awaitNoConnections(server);
            String served = RawClient.exchange(server.port(), "GET /after HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n");
            assertTrue(served.startsWith("HTTP/1.1 200"), "the server still accepts: " + served);
        }
    }

    @Test
    @Timeout(30)
    void anObserverThatThrowsAnErrorDoesNotEndTheConnection() throws Exception {
        try (EmbeddedPorta server = EmbeddedPorta.builder(root).handler("ok", OK).observer("bad", THROWS_ERROR).start();
             RawClient c = new RawClient(server.port())) {
            for (int i = 0; i < 3; i++) {
                c.send("GET /k" + i + " HTTP/1.1\r\nHost: a\r\n\r\n");
                assertTrue(c.readResponse().endsWith("ok"), "request " + i + " on the same connection");
            }
        }
    }

    @Test
    @Timeout(30)
    void refusalsAreReportedOffTheAcceptingThreadAndDropsAreCountedWhenTheQueueIsFull() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch blocked = new CountDownLatch(1);
        ExchangeObserver slow = exchange -> {
            blocked.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        };
        Pipeline pipeline = new Pipeline(List.of(), List.of(new Pipeline.Watcher("slow", slow)), new ErrorPages(root, Map.of()));
        RefusalReporter reporter = new RefusalReporter(pipeline, 4);
        try {
            reporter.report(refusal(), refusedEvent());
            assertTrue(blocked.await(5, TimeUnit.SECONDS), "the first refusal reaches the observer");
            Thread caller = Thread.currentThread();
            long start = System.nanoTime();
            for (int i = 0; i < 20; i++) reporter.report(refusal(), refusedEvent()); // never waits for the observer
            assertEquals(caller, Thread.currentThread());
            assertEquals(16, reporter.dropped(), "4 queued, 16 dropped and counted");
            assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(5));
        } finally {
            release.countDown();
            reporter.close();
        }
    }

    static CompletedExchange refusal() {
        return CompletedExchange.builder().client(new InetSocketAddress("127.0.0.1", 1)).status(503).build();
    }

    static ConnectionEvent refusedEvent() {
        return ConnectionEvent.builder(ConnectionEvent.Kind.REFUSED, new InetSocketAddress("127.0.0.1", 1))
                .refusal(ConnectionEvent.Refusal.SERVER_FULL).build();
    }

    static void awaitNoConnections(EmbeddedPorta server) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (server.openConnections() > 0 && System.nanoTime() < deadline) Thread.sleep(10);
    }
}

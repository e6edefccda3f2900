package dev.porta.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.porta.server.config.CommandLine;
import dev.porta.server.config.ConfigFile;
import dev.porta.server.config.ServerConfig;
import dev.porta.server.pipeline.ErrorPages;
import dev.porta.server.pipeline.Pipeline;
import dev.porta.server.testing.RawClient;
import dev.porta.spi.Body;
import dev.porta.spi.CompletedExchange;
import dev.porta.spi.ExchangeObserver;
import dev.porta.spi.Handler;
import dev.porta.spi.Response;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Starting connections and stopping the server: admissions given back, stop() safe, observers told in time. */
class ServerLifecycleTest {

    @TempDir
    Path root;

    static final Handler OK = (request, chain) -> Response.of(200).withBody(Body.of("ok"));

    Server server(String config, Handler handler, ExchangeObserver observer, ThreadFactory threads) {
        ServerConfig c = ServerConfig.read(ConfigFile.parse("test.properties", config),
                new CommandLine(Optional.empty(), OptionalInt.of(0), Optional.of(root), Optional.empty(), Optional.of("127.0.0.1")));
        List<Pipeline.Watcher> watchers = observer == null ? List.of() : List.of(new Pipeline.Watcher("test", observer));
        Pipeline pipeline = new Pipeline(List.of(new Pipeline.Step("test", handler)), watchers, new ErrorPages(c.root(), c.errorPages()));
        return new Server(c, pipeline, threads);
    }

    @Test
    @Timeout(30)
    void aConnectionWhoseThreadFailsToStartGivesBackItsAdmission() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        ThreadFactory virtual = Thread.ofVirtual().factory();
        ThreadFactory failsTwice = r -> {
            int n = calls.incrementAndGet();
            if (n == 1) throw new IllegalStateException("no thread for you");
            if (n == 2) return null; // a ThreadFactory may refuse by returning null
            return virtual.newThread(r);
        };
        Server server = server("limits.max-connections = 1\nlimits.max-connections-per-client = 1\n", OK, null, failsTwice);
        int port = server.start().getPort();
        try {
            for (int i = 0; i < 2; i++) {
                try (RawClient c = new RawClient(port)) {
                    c.send("GET / HTTP/1.1\r\nHost: a\r\n\r\n");
                    assertTrue(c.isClosedByServer(5000), "a connection without a thread is closed");
                }
            }
            assertEquals(0, server.openConnections());
            String r = RawClient.exchange(port, "GET / HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n");
            assertTrue(r.startsWith("HTTP/1.1 200"), "the limit of one is free again: " + r);
        } finally {
            server.stop();
        }
    }

    @Test
    @Timeout(30)
    void stopCalledTwiceAtOnceStopsOnceAndBothReturn() throws Exception {
        CountDownLatch inHandler = new CountDownLatch(1);
        Handler slow = (request, chain) -> {
            inHandler.countDown();
            try {
                Thread.sleep(300);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return Response.of(200).withBody(Body.of("slow"));
        };
        Server server = server("", slow, null, Thread.ofVirtual().factory());
        int port = server.start().getPort();
        CompletableFuture<String> response = CompletableFuture.supplyAsync(() -> {
            try {
                return RawClient.exchange(port, "GET / HTTP/1.1\r\nHost: a\r\n\r\n");
            } catch (Exception e) {
                return e.toString();
            }
        });
        assertTrue(inHandler.await(5, TimeUnit.SECONDS));
        CountDownLatch go = new CountDownLatch(1);
        List<Throwable> failures = new CopyOnWriteArrayList<>();
        List<Thread> stoppers = new java.util.ArrayList<>();
        for (int i = 0; i < 2; i++) {
            stoppers.add(Thread.ofPlatform().start(() -> {
                try {
                    go.await();
                    server.stop();
                } catch (Throwable t) {
                    failures.add(t);
                }
            }));
        }
        go.countDown();
        for (Thread t : stoppers) t.join(15_000);
        assertEquals(List.of(), failures);
        assertTrue(response.get(10, TimeUnit.SECONDS).endsWith("slow"), "the request in flight finished");
        assertEquals(0, server.openConnections());
        server.stop(); // a third time, after the fact: nothing happens
    }

    @Test
    @Timeout(30)
    void anExchangeCutByTheGraceTimeIsReportedBeforeStopReturnsAndNoneAfter() throws Exception {
        CountDownLatch inHandler = new CountDownLatch(1);
        Handler outlivesTheGrace = (request, chain) -> {
            inHandler.countDown();
            long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(700);
            while (System.nanoTime() < until) { // ignores interrupts, as careless plugin code does
                try {
                    Thread.sleep(50);
                } catch (InterruptedException ignored) {
                    // keep going
                }
            }
            return Response.of(200).withBody(Body.of("late"));
        };
        AtomicBoolean observersStopped = new AtomicBoolean();
        List<CompletedExchange> seen = new CopyOnWriteArrayList<>();
        List<CompletedExchange> seenAfterStop = new CopyOnWriteArrayList<>();
        ExchangeObserver observer = exchange -> (observersStopped.get() ? seenAfterStop : seen).add(exchange);
        Server server = server("timeouts.grace = 100ms\n", outlivesTheGrace, observer, Thread.ofVirtual().factory());
        int port = server.start().getPort();
        RawClient client = new RawClient(port);
        client.send("GET /slow HTTP/1.1\r\nHost: a\r\n\r\n");
        assertTrue(inHandler.await(5, TimeUnit.SECONDS));
        server.stop();
        observersStopped.set(true); // what Porta.close does next: stop the plugins
        assertEquals(1, seen.size(), "the cut exchange was reported before stop() returned");
        assertTrue(seen.get(0).cutShort());
        assertEquals("/slow", seen.get(0).request().orElseThrow().path());
        Thread.sleep(1000);
        assertEquals(List.of(), seenAfterStop);
        client.close();
    }

    /** Answers with the server's state as its context tells it, {@code /slow} after waiting to be told to go on. */
    static final class StateReporter implements Handler {
        final CountDownLatch inHandler = new CountDownLatch(1);
        final CountDownLatch goOn = new CountDownLatch(1);
        volatile dev.porta.spi.PluginContext context;

        @Override
        public void start(dev.porta.spi.PluginContext context) {
            this.context = context;
        }

        @Override
        public Response handle(dev.porta.spi.Request request, dev.porta.spi.Chain chain) {
            if (request.path().equals("/slow")) {
                inHandler.countDown();
                try {
                    goOn.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return Response.of(200).withBody(Body.of(context.serverState().name()));
        }
    }

    @Test
    @Timeout(30)
    void pluginsSeeTheServerServingThenDrainingWhileItStops() throws Exception {
        StateReporter reporter = new StateReporter();
        EmbeddedPorta server = EmbeddedPorta.builder(root).handler("state", reporter).start();
        assertTrue(RawClient.exchange(server.port(), "GET / HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n").endsWith("SERVING"));
        CompletableFuture<String> inFlight = CompletableFuture.supplyAsync(() -> {
            try {
                return RawClient.exchange(server.port(), "GET /slow HTTP/1.1\r\nHost: a\r\n\r\n");
            } catch (Exception e) {
                return e.toString();
            }
        });
        assertTrue(reporter.inHandler.await(5, TimeUnit.SECONDS));
        Thread stopper = Thread.ofPlatform().start(server::close);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (reporter.context.serverState() == dev.porta.spi.ServerState.SERVING && System.nanoTime() < deadline) Thread.sleep(5);
        reporter.goOn.countDown();
        assertTrue(inFlight.get(10, TimeUnit.SECONDS).endsWith("DRAINING"), "the request in flight sees the drain");
        stopper.join(10_000);
        assertEquals(dev.porta.spi.ServerState.STOPPED, reporter.context.serverState());
    }

    @Test
    @Timeout(60)
    void aRequestThatArrivesAsTheStopBeginsIsAnsweredOrNeverBegun() throws Exception {
        EmbeddedPorta server = EmbeddedPorta.builder(root).handler("ok", OK).start();
        int port = server.port();
        java.util.concurrent.atomic.AtomicInteger answered = new java.util.concurrent.atomic.AtomicInteger();
        List<Thread> clients = new java.util.ArrayList<>();
        for (int i = 0; i < 16; i++) {
            clients.add(Thread.ofVirtual().start(() -> {
                try (RawClient c = new RawClient(port)) {
                    for (int k = 0; k < 100_000; k++) {
                        c.send("GET /a HTTP/1.1\r\nHost: a\r\n\r\n");
                        String r = c.readResponse();
                        if (!r.endsWith("ok")) return;
                        answered.incrementAndGet();
                        if (r.contains("Connection: close")) return;
                    }
                } catch (Exception gone) {
                    // the server closed an idle connection: the request on it was never begun
                }
            }));
        }
        while (answered.get() < 500) Thread.sleep(5);
        server.close();
        for (Thread t : clients) t.join(10_000);
        List<CompletedExchange> seen = server.exchanges();
        assertEquals(List.of(), seen.stream().filter(CompletedExchange::cutShort).toList(),
                "a request the server began is answered whole before it stops");
        assertEquals(answered.get(), seen.size(), "every answered request was reported, and only those");
    }

    @Test
    @Timeout(30)
    void whileItDrainsNewClientsAreStillServedAndSeeDrainingThenTheListenerCloses() throws Exception {
        StateReporter reporter = new StateReporter();
        EmbeddedPorta server = EmbeddedPorta.builder(root)
                .config("timeouts.drain = 1500ms\n").handler("state", reporter).start();
        int port = server.port();
        String get = "GET / HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n";
        assertTrue(RawClient.exchange(port, get).endsWith("SERVING"));
        long stopAsked = System.nanoTime();
        Thread stopper = Thread.ofPlatform().start(server::close);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (reporter.context.serverState() == dev.porta.spi.ServerState.SERVING && System.nanoTime() < deadline) Thread.sleep(5);
        assertTrue(RawClient.exchange(port, get).endsWith("DRAINING"), "a new connection is accepted and served while draining");
        stopper.join(10_000);
        assertTrue(System.nanoTime() - stopAsked >= TimeUnit.MILLISECONDS.toNanos(1500), "the stop waited for the drain");
        assertEquals(dev.porta.spi.ServerState.STOPPED, reporter.context.serverState());
        try (java.net.Socket refused = new java.net.Socket()) {
            org.junit.jupiter.api.Assertions.assertThrows(java.io.IOException.class,
                    () -> refused.connect(new java.net.InetSocketAddress("127.0.0.1", port), 1000));
        }
    }

    @Test
    @Timeout(20)
    void anExtensionWhoseStopHangsDoesNotKeepTheOthersFromStoppingNorPortaFromExiting() throws Exception {
        CountDownLatch never = new CountDownLatch(1);
        List<String> stopped = new CopyOnWriteArrayList<>();
        dev.porta.spi.Lifecycle first = new dev.porta.spi.Lifecycle() {
            @Override
            public void stop() {
                stopped.add("first");
            }
        };
        dev.porta.spi.Lifecycle hangs = new dev.porta.spi.Lifecycle() {
            @Override
            public void stop() {
                try {
                    never.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        };
        long start = System.nanoTime();
        Porta.stopExtensions(List.of(first, hangs), 300); // stopped last first: the hanging one, then first
        assertEquals(List.of("first"), stopped);
        assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(10));
        never.countDown();
    }

    @Test
    @Timeout(30)
    void anExchangeStuckInAHandlerPastTheStopIsStillReportedOnceAsCutShort() throws Exception {
        CountDownLatch inHandler = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Handler stuck = (request, chain) -> {
            inHandler.countDown();
            while (true) {
                try {
                    release.await(); // ignores interrupts and closed sockets, as careless plugin code does
                    break;
                } catch (InterruptedException ignored) {
                    // keep waiting
                }
            }
            return Response.of(200).withBody(Body.of("too late"));
        };
        List<CompletedExchange> seen = new CopyOnWriteArrayList<>();
        Server server = server("timeouts.grace = 100ms\n", stuck, seen::add, Thread.ofVirtual().factory());
        int port = server.start().getPort();
        try (RawClient client = new RawClient(port)) {
            client.send("GET /stuck HTTP/1.1\r\nHost: a\r\n\r\n");
            assertTrue(inHandler.await(5, TimeUnit.SECONDS));
            server.stop();
            assertEquals(1, seen.size(), "reported by the stop, the thread being stuck");
            assertTrue(seen.get(0).cutShort());
            assertEquals("/stuck", seen.get(0).request().orElseThrow().path());
            release.countDown();
            Thread.sleep(300);
            assertEquals(1, seen.size(), "and not again when the thread comes back");
        }
    }
}

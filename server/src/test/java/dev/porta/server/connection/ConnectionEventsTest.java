package dev.porta.server.connection;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.porta.server.testing.RawClient;
import dev.porta.server.EmbeddedPorta;
import dev.porta.spi.Body;
import dev.porta.spi.ConnectionEvent;
import dev.porta.spi.Handler;
import dev.porta.spi.Response;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Connection observers hear of every connection opened, closed, or refused, and why. */
class ConnectionEventsTest {

    @TempDir
    Path root;

    static final Handler OK = (request, chain) -> Response.of(200).withBody(Body.of("ok"));

    static List<ConnectionEvent> await(List<ConnectionEvent> events, int count) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (events.size() < count && System.nanoTime() < deadline) Thread.sleep(5);
        return List.copyOf(events);
    }

    @Test
    void anOpenedConnectionIsClosedWithItsExchangesCounted() throws Exception {
        List<ConnectionEvent> events = new CopyOnWriteArrayList<>();
        try (EmbeddedPorta server = EmbeddedPorta.builder(root).handler("ok", OK).connectionObserver("metrics", events::add).start()) {
            try (RawClient c = new RawClient(server.port())) {
                for (int i = 0; i < 3; i++) {
                    c.send("GET / HTTP/1.1\r\nHost: a\r\n\r\n");
                    c.readResponse();
                }
            }
            List<ConnectionEvent> seen = await(events, 2);
            assertEquals(List.of(ConnectionEvent.Kind.OPENED, ConnectionEvent.Kind.CLOSED), seen.stream().map(ConnectionEvent::kind).toList());
            assertEquals(seen.get(0).id(), seen.get(1).id());
            assertEquals(3, seen.get(1).exchanges());
            assertEquals(server.port(), seen.get(0).local().orElseThrow().getPort());
            assertTrue(seen.get(1).open().toNanos() > 0);
        }
    }

    @Test
    void aRefusalSaysWhichLimitWasReached() throws Exception {
        assertEquals(Optional.of(ConnectionEvent.Refusal.CLIENT_FULL), refusalWith("limits.max-connections-per-client = 1\n"));
        assertEquals(Optional.of(ConnectionEvent.Refusal.SERVER_FULL), refusalWith("limits.max-connections = 1\n"));
    }

    @Test
    void aClientReconnectingAtOnceAfterAClosedConnectionIsNotCountedTwice() throws Exception {
        // an observer that is slow to hear of a closed connection: the admission must be back before the socket closes
        List<ConnectionEvent> events = new CopyOnWriteArrayList<>();
        try (EmbeddedPorta server = EmbeddedPorta.builder(root).config("limits.max-connections-per-client = 1\n").handler("ok", OK)
                .connectionObserver("slow", e -> {
                    events.add(e);
                    if (e.kind() == ConnectionEvent.Kind.CLOSED) {
                        try {
                            Thread.sleep(100);
                        } catch (InterruptedException x) {
                            Thread.currentThread().interrupt();
                        }
                    }
                }).start()) {
            for (int i = 0; i < 5; i++) {
                String r = RawClient.exchange(server.port(), "GET / HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n");
                assertTrue(r.startsWith("HTTP/1.1 200"), "connection " + i + " right after the one before closed: " + r);
            }
            assertTrue(events.stream().noneMatch(e -> e.kind() == ConnectionEvent.Kind.REFUSED), events.toString());
        }
    }

    /** Holds one connection open under {@code config}, opens a second, and returns why it was refused. */
    Optional<ConnectionEvent.Refusal> refusalWith(String config) throws Exception {
        List<ConnectionEvent> events = new CopyOnWriteArrayList<>();
        try (EmbeddedPorta server = EmbeddedPorta.builder(root).config(config).handler("ok", OK).connectionObserver("metrics", events::add).start();
             RawClient held = new RawClient(server.port())) {
            held.send("GET / HTTP/1.1\r\nHost: a\r\n\r\n");
            held.readResponse();
            assertTrue(RawClient.exchange(server.port(), "GET / HTTP/1.1\r\nHost: a\r\n\r\n").startsWith("HTTP/1.1 503"));
            List<ConnectionEvent> seen = await(events, 2);
            return seen.stream().filter(e -> e.kind() == ConnectionEvent.Kind.REFUSED).findFirst().orElseThrow().refusal();
        }
    }
}

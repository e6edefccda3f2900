package dev.porta.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.porta.server.testing.RawClient;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The request-log plugin as a dropped-in jar: no line lost when Porta is stopped under load. */
@Timeout(120)
class RequestLogIT {

    @TempDir
    Path dir;

    @Test
    void sigtermUnderLoadLosesNoLine() throws Exception {
        Path root = Files.createDirectories(dir.resolve("www"));
        Files.writeString(root.resolve("index.html"), "x".repeat(1024));
        Path plugins = PortaProcess.pluginsWith(dir, "static-index", "request-log");
        AtomicInteger answered = new AtomicInteger();
        try (PortaProcess porta = PortaProcess.start(dir, List.of(), "--root", root.toString(), "--plugins", plugins.toString());
             ExecutorService clients = Executors.newFixedThreadPool(8)) {
            int port = porta.awaitListening();
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            List<Future<?>> running = new ArrayList<>();
            for (int c = 0; c < 8; c++) {
                running.add(clients.submit(() -> {
                    for (int conn = 0; conn < 1000 && System.nanoTime() < until; conn++) {
                        try (RawClient client = new RawClient(port)) {
                            for (int i = 0; i < 50; i++) {
                                client.send("GET /index.html HTTP/1.1\r\nHost: a\r\n\r\n");
                                String r = client.readResponse();
                                if (!r.startsWith("HTTP/1.1 200 ") || !r.endsWith("x".repeat(1024))) break;
                                answered.incrementAndGet();
                                if (r.contains("Connection: close")) break;
                            }
                        } catch (IOException stopped) {
                            return null; // the server has gone: stop this client
                        }
                    }
                    return null;
                }));
            }
            while (answered.get() < 2000 && System.nanoTime() < until) Thread.sleep(10);
            porta.terminate();
            assertEquals(0, porta.awaitExit(), porta.output());
            for (Future<?> f : running) f.get(30, TimeUnit.SECONDS);
        }
        List<String> lines = Files.readAllLines(dir.resolve("logs/access.log"));
        assertTrue(answered.get() >= 2000, "load ran: " + answered.get());
        // Every answered request has its line. Requests that arrived as the server stopped and whose response
        // did not reach the client (an idle connection closed just as its next request came) have a line too,
        // with the bytes actually sent: fewer than the file.
        List<String> whole = lines.stream().filter(l -> l.contains("\"GET /index.html HTTP/1.1\" 200 1024 ")).toList();
        List<String> others = lines.stream().filter(l -> !whole.contains(l)).toList();
        assertEquals(answered.get(), whole.size(), "every answered request has its line");
        assertTrue(others.size() <= 8 && others.stream().allMatch(l -> l.matches(".*\"GET /index.html HTTP/1.1\" 200 (0|[1-9][0-9]{0,2}|10[01][0-9]|102[0-3]) .*")),
                "the other lines are exchanges cut short at the stop: " + others);
    }
}

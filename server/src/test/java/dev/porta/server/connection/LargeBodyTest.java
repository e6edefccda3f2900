package dev.porta.server.connection;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.porta.server.EmbeddedPorta;
import dev.porta.server.testing.RawClient;
import dev.porta.spi.Body;
import dev.porta.spi.CompletedExchange;
import dev.porta.spi.Handler;
import dev.porta.spi.Response;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Large bodies arrive whole and in order, byte for byte, to a client that reads slowly, so that the socket
 * is full again and again: a file region (sendfile, and the small blocking write that waits for room when
 * sendfile finds none), a part of a file, and an in-memory body larger than one write's piece; several on
 * one kept-alive connection, so that each response also ends where it says.
 */
class LargeBodyTest {

    static final int FILE_SIZE = (12 << 20) + 7; // more than a loopback socket's send buffer grows to (4 MiB)
    static final int MEMORY_SIZE = (2 << 20) + 3;
    static final long OFFSET = 12_345;
    static final int PART = (1 << 20) + 1;

    @TempDir
    Path root;

    @Test
    @Timeout(60)
    void largeBodiesArriveWholeToASlowReader() throws Exception {
        Random random = new Random(42);
        byte[] content = new byte[FILE_SIZE];
        random.nextBytes(content);
        Path file = Files.write(root.resolve("big.bin"), content);
        byte[] memory = new byte[MEMORY_SIZE];
        random.nextBytes(memory);
        Handler handler = (request, chain) -> switch (request.path()) {
            case "/file" -> Response.of(200).withBody(new Body.FileRegion(file, 0, FILE_SIZE));
            case "/part" -> Response.of(200).withBody(new Body.FileRegion(file, OFFSET, PART));
            case "/memory" -> Response.of(200).withBody(Body.of(memory));
            default -> Response.of(404);
        };
        byte[] part = Arrays.copyOfRange(content, (int) OFFSET, (int) OFFSET + PART);
        try (EmbeddedPorta server = EmbeddedPorta.builder(root).handler("big", handler).start();
             RawClient c = new RawClient(server.port())) {
            c.socket().setReceiveBufferSize(16 * 1024); // a small window: the server's socket fills at once
            InputStream in = c.socket().getInputStream();
            List<String> paths = List.of("/file", "/memory", "/part", "/memory", "/file");
            for (String path : paths) {
                c.send("GET " + path + " HTTP/1.1\r\nHost: a\r\n\r\n");
                byte[] expected = switch (path) {
                    case "/file" -> content;
                    case "/part" -> part;
                    default -> memory;
                };
                byte[] body = readResponse(in, path);
                assertEquals(expected.length, body.length, path);
                assertArrayEquals(expected, body, path + ": the bytes as they are on disk or in memory");
            }
            List<CompletedExchange> all = server.awaitExchanges(paths.size());
            assertEquals(paths.size(), all.size());
            for (CompletedExchange e : all) assertFalse(e.cutShort(), e.request().orElseThrow().path());
        }
    }

    /** One response's body, read by its Content-Length in small, slow reads. */
    private static byte[] readResponse(InputStream in, String path) throws IOException, InterruptedException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        while (!head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) throw new IOException(path + ": the connection closed in the head");
            head.write(b);
        }
        String text = head.toString(StandardCharsets.ISO_8859_1);
        assertEquals("HTTP/1.1 200 OK", text.substring(0, text.indexOf("\r\n")), path);
        long length = text.lines().filter(l -> l.regionMatches(true, 0, "Content-Length:", 0, 15))
                .mapToLong(l -> Long.parseLong(l.substring(15).strip())).findFirst().orElseThrow();
        byte[] body = new byte[(int) length];
        int at = 0;
        int reads = 0;
        while (at < body.length) {
            int n = in.read(body, at, Math.min(8 * 1024, body.length - at));
            if (n < 0) throw new IOException(path + ": the connection closed after " + at + " body bytes");
            at += n;
            if (++reads % 64 == 0) Thread.sleep(1); // slower than the server: its socket stays full
        }
        return body;
    }
}

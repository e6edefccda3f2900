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
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every exchange that began is told to the observers exactly once, also when its response did not go out
 * whole: a client that resets mid-download, or stops reading until the write timeout cuts it off.
 */
class CutShortTest {

    static final int SIZE = 32 << 20;

    @TempDir
    Path root;

    /** {@code /file}: a 32 MiB file region; {@code /stream}: 32 MiB generated, of unknown length. */
    Handler bigAnswers(Path file) {
        return (request, chain) -> switch (request.path()) {
            case "/file" -> Response.of(200).withBody(new Body.FileRegion(file, 0, SIZE));
            case "/stream" -> Response.of(200).withBody(new Body.Stream(zeros(SIZE), -1));
            default -> Response.of(200).withBody(Body.of("small"));
        };
    }

    /** {@code n} zero bytes, made as they are read. */
    static InputStream zeros(long n) {
        return new InputStream() {
            long left = n;

            @Override
            public int read() {
                return left-- > 0 ? 0 : -1;
            }

            @Override
            public int read(byte[] b, int off, int len) {
                if (left <= 0) return -1;
                int k = (int) Math.min(len, left);
                java.util.Arrays.fill(b, off, off + k, (byte) 0);
                left -= k;
                return k;
            }
        };
    }

    Path bigFile() throws Exception {
        Path file = root.resolve("big.bin");
        Files.write(file, new byte[SIZE]);
        return file;
    }

    @Test
    @Timeout(30)
    void aClientThatResetsMidDownloadIsReportedWithTheBytesSent() throws Exception {
        try (EmbeddedPorta server = EmbeddedPorta.builder(root).handler("big", bigAnswers(bigFile())).start()) {
            for (String path : List.of("/file", "/stream")) {
                int before = server.exchanges().size();
                try (RawClient c = new RawClient(server.port())) {
                    c.send("GET " + path + " HTTP/1.1\r\nHost: a\r\n\r\n");
                    c.socket().getInputStream().readNBytes(1 << 20);
                    c.socket().setSoLinger(true, 0); // close with a reset, as a browser tab closed mid-download
                }
                CompletedExchange e = awaitOneMore(server, before);
                assertEquals(200, e.status(), path);
                assertTrue(e.cutShort(), path + " is reported as cut short");
                assertTrue(e.bodyBytes() > 0 && e.bodyBytes() < SIZE, path + " sent " + e.bodyBytes());
                assertEquals(path, e.request().orElseThrow().path());
            }
        }
    }

    @Test
    @Timeout(30)
    void aClientCutOffByTheWriteTimeoutIsReported() throws Exception {
        try (EmbeddedPorta server = EmbeddedPorta.builder(root).config("timeouts.write = 300ms\n")
                .handler("big", bigAnswers(bigFile())).start();
             RawClient c = new RawClient(server.port())) {
            c.socket().setReceiveBufferSize(4096);
            c.send("GET /file HTTP/1.1\r\nHost: a\r\n\r\n");
            CompletedExchange e = awaitOneMore(server, 0); // we read nothing: the server gives up on us
            assertTrue(e.cutShort());
            assertEquals(200, e.status());
            assertTrue(e.bodyBytes() < SIZE, "sent " + e.bodyBytes());
        }
    }

    @Test
    void aWholeResponseIsNotCutShortAndIsReportedOnce() throws Exception {
        try (EmbeddedPorta server = EmbeddedPorta.builder(root).handler("big", bigAnswers(bigFile())).start()) {
            String r = RawClient.exchange(server.port(), "GET /small HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n");
            assertTrue(r.endsWith("small"));
            CompletedExchange e = awaitOneMore(server, 0);
            assertFalse(e.cutShort());
            assertEquals(5, e.bodyBytes());
            Thread.sleep(200);
            assertEquals(1, server.exchanges().size(), "reported exactly once");
        }
    }

    static CompletedExchange awaitOneMore(EmbeddedPorta server, int before) throws InterruptedException {
        List<CompletedExchange> all = server.awaitExchanges(before + 1);
        assertTrue(all.size() > before, "no exchange reported");
        return all.get(before);
    }
}

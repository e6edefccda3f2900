package dev.porta.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.porta.server.config.CommandLine;
import dev.porta.server.config.ConfigFile;
import dev.porta.server.config.ServerConfig;
import dev.porta.server.http.HttpException;
import dev.porta.server.pipeline.ErrorPages;
import dev.porta.server.pipeline.Pipeline;
import dev.porta.server.testing.RawClient;
import dev.porta.server.testing.TestCa;
import dev.porta.spi.Body;
import dev.porta.spi.CompletedExchange;
import dev.porta.spi.Handler;
import dev.porta.spi.Response;
import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A client that sends part of a body and then closes or resets its connection, over TLS and plain HTTP: the
 * handler reading the body (and letting the failure escape, as the fastcgi plugin does) gets the core's
 * 400, not an IOException that the pipeline would take for the plugin's failure (a 500 and an ERROR with
 * a stack trace per aborted upload). A body read that times out under TLS stays a 408.
 */
class ClientGoneMidBodyTest {

    @TempDir
    static Path dir;
    static TestCa ca;

    /** Reads the whole body of {@code /e.php} and lets any failure escape; answers anything else at once. */
    static final class ReadingHandler implements Handler {
        final Semaphore reading = new Semaphore(0);
        final BlockingQueue<Throwable> failures = new LinkedBlockingQueue<>();

        @Override
        public Response handle(dev.porta.spi.Request request, dev.porta.spi.Chain chain) throws IOException {
            if (!request.path().equals("/e.php")) return Response.of(200).withBody(Body.of("ok"));
            reading.release();
            try {
                byte[] body = request.body().readAllBytes();
                return Response.of(200).withBody(Body.of("read " + body.length));
            } catch (IOException | RuntimeException e) {
                failures.add(e);
                throw e;
            }
        }
    }

    final ReadingHandler handler = new ReadingHandler();
    final BlockingQueue<CompletedExchange> exchanges = new LinkedBlockingQueue<>();

    @BeforeAll
    static void certificate() {
        ca = TestCa.create();
        TestCa.writePem(ca.issue("EC", "localhost"), dir.resolve("cert.pem"), dir.resolve("key.pem"), TestCa.KeyFormat.PKCS8);
    }

    Server server(String config) throws IOException {
        Path root = Files.createDirectories(dir.resolve("www"));
        ServerConfig c = ServerConfig.read(ConfigFile.parse("test.properties",
                        "server.https.port = 0\nserver.https.cert.local = " + dir.resolve("cert.pem") + ", " + dir.resolve("key.pem") + "\n" + config),
                new CommandLine(Optional.empty(), OptionalInt.of(0), Optional.of(root), Optional.empty(), Optional.of("127.0.0.1")));
        Pipeline pipeline = new Pipeline(List.of(new Pipeline.Step("test", handler)),
                List.of(new Pipeline.Watcher("test", exchanges::add)), new ErrorPages(c.root(), c.errorPages()));
        return new Server(c, pipeline, Thread.ofVirtual().factory());
    }

    /** How the client leaves in the middle of the body. */
    enum Leave {
        /** Closes the TCP connection (under TLS without close_notify). */
        CLOSE,
        /** Resets it. */
        RESET
    }

    static final String FIXED = "POST /e.php HTTP/1.1\r\nHost: a\r\nContent-Length: 100\r\n\r\nabc";
    static final String CHUNKED = "POST /e.php HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n64\r\nabc";

    /** A connection to the server; {@code raw} is the TCP socket beneath (the same socket over plain HTTP). */
    record Client(Socket socket, Socket raw) {
    }

    Client connect(Server server, boolean tls) throws IOException {
        if (!tls) {
            Socket s = new Socket("127.0.0.1", server.address().getPort());
            return new Client(s, s);
        }
        int port = server.httpsAddress().orElseThrow().getPort();
        Socket raw = new Socket("127.0.0.1", port);
        SSLSocket s = (SSLSocket) ca.clientContext().getSocketFactory().createSocket(raw, "localhost", port, true);
        s.setSoTimeout(10_000);
        s.startHandshake();
        return new Client(s, raw);
    }

    /** Sends {@code request} (a head and part of its body), waits until the handler reads the body, and leaves. */
    void sendPartAndLeave(Server server, boolean tls, String request, Leave leave) throws Exception {
        Client c = connect(server, tls);
        c.socket().getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
        c.socket().getOutputStream().flush();
        assertTrue(handler.reading.tryAcquire(10, TimeUnit.SECONDS), "the handler reads the body");
        Thread.sleep(200); // the handler has read the bytes sent and waits for more
        if (leave == Leave.RESET) c.raw().setSoLinger(true, 0);
        c.raw().close(); // the TCP socket itself: no close_notify, as when a client process dies
    }

    /** The exchange the observers saw for the aborted request. */
    CompletedExchange aborted() throws InterruptedException {
        while (true) {
            CompletedExchange e = exchanges.poll(10, TimeUnit.SECONDS);
            assertNotNull(e, "the aborted exchange is reported");
            if (e.requestLine().startsWith("POST /e.php")) return e;
        }
    }

    void assertClientsFault(Server server, boolean tls, String request, Leave leave) throws Exception {
        sendPartAndLeave(server, tls, request, leave);
        assertEquals(400, aborted().status(), "a client gone mid-body is the client's failure, not the plugin's");
        Throwable seen = handler.failures.poll(10, TimeUnit.SECONDS);
        // an HttpException is passed through by the pipeline; anything else is logged as the plugin's failure
        HttpException e = assertInstanceOf(HttpException.class, seen, "the handler sees the core's refusal");
        assertEquals(400, e.status());
        assertServesNext(server, tls);
    }

    void assertServesNext(Server server, boolean tls) throws IOException {
        Client c = connect(server, tls);
        try (RawClient client = new RawClient(c.socket())) {
            client.send("GET / HTTP/1.1\r\nHost: a\r\n\r\n");
            String r = client.readResponse();
            assertTrue(r.startsWith("HTTP/1.1 200") && r.endsWith("ok"), r);
        }
    }

    /** Each way of leaving mid-body: over TLS or plain HTTP, inside a fixed-length or a chunked body. */
    @ParameterizedTest(name = "tls={0} {1} body, {2}")
    @CsvSource({"true, FIXED, CLOSE", "true, FIXED, RESET", "false, FIXED, RESET", "true, CHUNKED, RESET", "false, CHUNKED, RESET"})
    @Timeout(60)
    void aClientThatLeavesMidBodyIsA400(boolean tls, String framing, Leave leave) throws Exception {
        Server server = server("");
        server.start();
        try {
            assertClientsFault(server, tls, framing.equals("FIXED") ? FIXED : CHUNKED, leave);
        } finally {
            server.stop();
        }
    }

    @Test
    @Timeout(60)
    void aBodyReadThatTimesOutOverTlsIsStillA408() throws Exception {
        Server server = server("timeouts.body = 500ms\n");
        server.start();
        try {
            Client c = connect(server, true);
            try (RawClient client = new RawClient(c.socket())) {
                client.send(FIXED);
                String r = client.readResponse();
                assertTrue(r.startsWith("HTTP/1.1 408"), r);
            }
            assertEquals(408, aborted().status());
            HttpException e = assertInstanceOf(HttpException.class, handler.failures.poll(10, TimeUnit.SECONDS));
            assertEquals(408, e.status());
            assertServesNext(server, true);
        } finally {
            server.stop();
        }
    }
}

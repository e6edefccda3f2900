package dev.porta.plugins.fastcgi;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The client's side of the protocol against a scripted FastCGI application on a Unix socket: what it
 * sends, how it reads records (padding, STDERR in between, unknown types), when it reuses a connection,
 * and how it ends a request early or fails.
 */
@Timeout(20)
class FastCgiClientTest {

    @TempDir
    Path dir;
    Watchdog watchdog = new Watchdog();
    ConnectionPool pool;
    ServerSocketChannel server;
    final AtomicInteger accepted = new AtomicInteger();
    /** Record types the application received, in order. */
    final BlockingQueue<Integer> received = new LinkedBlockingQueue<>();
    final List<String> stderr = new CopyOnWriteArrayList<>();
    Duration idleTimeout = Duration.ofSeconds(60);
    /** Marks, in {@link #received}, that a write of the application failed. */
    static final int HUNG_UP = -1;

    /** What the scripted application does on a connection. */
    interface Script {
        void run(DataInputStream in, OutputStream out) throws IOException;
    }

    FastCgiClient client(Script script, Duration timeout) throws IOException {
        UnixDomainSocketAddress address = UnixDomainSocketAddress.of(dir.resolve("app.sock"));
        server = ServerSocketChannel.open(StandardProtocolFamily.UNIX).bind(address);
        Thread.ofVirtual().start(() -> {
            while (server.isOpen()) {
                try {
                    SocketChannel c = server.accept();
                    accepted.incrementAndGet();
                    Thread.ofVirtual().start(() -> {
                        try (c) {
                            DataInputStream in = new DataInputStream(Channels.newInputStream(c));
                            OutputStream out = Channels.newOutputStream(c);
                            while (true) script.run(in, out);
                        } catch (IOException ignored) {
                            // the client closed the connection
                        }
                    });
                } catch (IOException e) {
                    return;
                }
            }
        });
        pool = new ConnectionPool(address, 2, Duration.ofSeconds(1), timeout, idleTimeout, watchdog);
        return new FastCgiClient(pool);
    }

    @AfterEach
    void close() throws IOException {
        if (pool != null) pool.close();
        if (server != null) server.close();
        watchdog.close();
    }

    /** Reads one request's records up to the end of STDIN; returns the params and the STDIN bytes. */
    Map.Entry<Map<String, String>, byte[]> readRequest(DataInputStream in) throws IOException {
        ByteArrayOutputStream params = new ByteArrayOutputStream();
        ByteArrayOutputStream stdin = new ByteArrayOutputStream();
        while (true) {
            int[] h = new int[8];
            for (int i = 0; i < 8; i++) h[i] = in.readUnsignedByte();
            int type = h[1];
            int length = h[4] << 8 | h[5];
            byte[] content = in.readNBytes(length);
            in.skipNBytes(h[6]);
            received.add(type);
            if (type == Record.TYPE_BEGIN_REQUEST) assertEquals(Record.FLAG_KEEP_CONN, content[2], "keep-conn asked");
            if (type == Record.TYPE_PARAMS) params.writeBytes(content);
            if (type == Record.TYPE_STDIN) {
                if (length == 0) return Map.entry(ProtocolTest.decode(params.toByteArray()), stdin.toByteArray());
                stdin.writeBytes(content);
            }
        }
    }

    static void record(OutputStream out, int type, byte[] content, int padding) throws IOException {
        byte[] h = new byte[8];
        new Record(type, 1, content.length, padding).encode(h, 0);
        out.write(h);
        out.write(content);
        out.write(new byte[padding]);
    }

    static void end(OutputStream out, int protocolStatus) throws IOException {
        record(out, Record.TYPE_END_REQUEST, new byte[] {0, 0, 0, 0, (byte) protocolStatus, 0, 0, 0}, 0);
    }

    static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    @Test
    void sendsParamsAndBodyReadsRecordsAndReusesTheConnection() throws Exception {
        byte[] body = new byte[100_000]; // more than one STDIN record
        for (int i = 0; i < body.length; i++) body[i] = (byte) i;
        BlockingQueue<Map.Entry<Map<String, String>, byte[]>> requests = new LinkedBlockingQueue<>();
        FastCgiClient client = client((in, out) -> {
            requests.add(readRequest(in));
            record(out, Record.TYPE_STDOUT, ascii("Content-Type: text/plain\r\n"), 6);
            record(out, Record.TYPE_STDERR, ascii("first line\nsecond "), 0);
            record(out, 99, ascii("unknown"), 1);
            record(out, Record.TYPE_STDOUT, ascii("\r\nhello, "), 7);
            record(out, Record.TYPE_STDERR, ascii("line\n"), 3);
            record(out, Record.TYPE_STDOUT, ascii("world"), 0);
            record(out, Record.TYPE_STDOUT, new byte[0], 0);
            end(out, Record.REQUEST_COMPLETE);
            out.flush();
        }, Duration.ofSeconds(5));
        for (int i = 0; i < 2; i++) {
            FastCgiClient.Answer answer = client.send(List.of("SCRIPT_FILENAME", "/x.php", "N", "" + i),
                    new ByteArrayInputStream(body), body.length, stderr::add, () -> true);
            assertEquals(200, answer.head().status());
            assertEquals("text/plain", answer.head().headers().first("Content-Type").orElseThrow());
            try (InputStream in = answer.body()) {
                assertEquals("hello, world", new String(in.readAllBytes(), StandardCharsets.ISO_8859_1));
            }
            Map.Entry<Map<String, String>, byte[]> request = requests.poll(5, TimeUnit.SECONDS);
            assertEquals(Map.of("SCRIPT_FILENAME", "/x.php", "N", "" + i), request.getKey());
            assertArrayEquals(body, request.getValue());
        }
        assertEquals(List.of("first line", "second line", "first line", "second line"), stderr);
        assertEquals(1, accepted.get(), "FCGI_KEEP_CONN: one connection for both requests");
    }

    @Test
    void anIdleConnectionIsClosedAfterTheIdleTimeout() throws Exception {
        idleTimeout = Duration.ofMillis(200);
        FastCgiClient client = client((in, out) -> {
            readRequest(in);
            record(out, Record.TYPE_STDOUT, ascii("\r\nok"), 0);
            end(out, Record.REQUEST_COMPLETE);
        }, Duration.ofSeconds(5));
        for (int i = 0; i < 2; i++) {
            try (InputStream body = client.send(List.of(), InputStream.nullInputStream(), 0, stderr::add, () -> true).body()) {
                assertEquals("ok", new String(body.readAllBytes(), StandardCharsets.US_ASCII));
            }
            Thread.sleep(500); // the PHP-FPM worker a kept connection holds is given back
        }
        assertEquals(2, accepted.get());
    }

    @Test
    void closingBeforeTheEndAbortsTheRequestAndDropsTheConnection() throws Exception {
        FastCgiClient client = client((in, out) -> {
            readRequest(in);
            record(out, Record.TYPE_STDOUT, ascii("\r\n"), 0);
            byte[] block = new byte[60_000];
            try {
                while (true) record(out, Record.TYPE_STDOUT, block, 0); // an endless answer, until the client goes
            } catch (IOException e) {
                received.add(HUNG_UP);
                throw e;
            }
        }, Duration.ofSeconds(5));
        FastCgiClient.Answer answer = client.send(List.of(), InputStream.nullInputStream(), 0, stderr::add, () -> true);
        assertEquals(1_000, answer.body().readNBytes(1_000).length);
        answer.body().close(); // what the core does when the client went away
        // the application, busy writing, never reads the ABORT_REQUEST (PHP-FPM ignores it too): the drop ends it
        Integer type;
        do {
            type = received.poll(5, TimeUnit.SECONDS);
        } while (type != null && type != HUNG_UP);
        assertEquals(HUNG_UP, type, "the application's writes fail: the connection is gone");
        answer = client.send(List.of(), InputStream.nullInputStream(), 0, stderr::add, () -> true);
        answer.body().close();
        assertEquals(2, accepted.get(), "an aborted connection is never reused");
    }

    @Test
    void anApplicationThatNeverAnswersIs504() throws Exception {
        FastCgiClient client = client((in, out) -> {
            readRequest(in);
            in.read(); // and wait
        }, Duration.ofMillis(300));
        long start = System.nanoTime();
        UpstreamException e = assertThrows(UpstreamException.class,
                () -> client.send(List.of(), InputStream.nullInputStream(), 0, stderr::add, () -> true));
        assertEquals(504, e.status());
        assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(2));
    }

    @Test
    void anApplicationThatHangsUpIs502() throws Exception {
        FastCgiClient client = client((in, out) -> {
            readRequest(in);
            record(out, Record.TYPE_STDOUT, ascii("Content-Type: text/pl"), 0);
            throw new IOException("hang up");
        }, Duration.ofSeconds(5));
        UpstreamException e = assertThrows(UpstreamException.class,
                () -> client.send(List.of(), InputStream.nullInputStream(), 0, stderr::add, () -> true));
        assertEquals(502, e.status());
    }

    @Test
    void aRefusedRequestDropsTheConnection() throws Exception {
        FastCgiClient client = client((in, out) -> {
            readRequest(in);
            record(out, Record.TYPE_STDOUT, ascii("Status: 500\r\n\r\n"), 0);
            end(out, 2); // FCGI_OVERLOADED
        }, Duration.ofSeconds(5));
        for (int i = 0; i < 2; i++) {
            FastCgiClient.Answer answer = client.send(List.of(), InputStream.nullInputStream(), 0, stderr::add, () -> true);
            assertEquals(500, answer.head().status());
            assertEquals(-1, answer.body().read());
        }
        assertEquals(2, accepted.get());
    }
}

package dev.porta.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** SIGTERM with a request in flight, and a file far larger than the heap. */
@Timeout(120)
class ShutdownAndMemoryIT {

    @TempDir
    Path dir;

    @Test
    void sigtermLetsTheRequestInFlightFinishThenExitsZero() throws Exception {
        Path root = Files.createDirectories(dir.resolve("www"));
        byte[] file = new byte[64 << 20]; // far more than the socket buffers hold: still in flight at SIGTERM
        new Random(3).nextBytes(file);
        Files.write(root.resolve("big.bin"), file);
        Path plugins = PortaProcess.pluginsWith(dir, "static-index");
        try (PortaProcess porta = PortaProcess.start(dir, List.of(), "--root", root.toString(), "--plugins", plugins.toString());
             Socket socket = new Socket()) {
            socket.setReceiveBufferSize(16 * 1024);
            socket.connect(new java.net.InetSocketAddress("127.0.0.1", porta.awaitListening()));
            OutputStream out = socket.getOutputStream();
            out.write("GET /big.bin HTTP/1.1\r\nHost: a\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream received = new ByteArrayOutputStream();
            byte[] buf = new byte[64 * 1024];
            int n = in.read(buf);
            received.write(buf, 0, n);
            porta.terminate(); // SIGTERM while the response is still being sent
            long start = System.nanoTime();
            Thread.sleep(500);
            assertTrue(porta.process().isAlive(), "Porta waits for the response in flight");
            while ((n = in.read(buf)) >= 0) {
                received.write(buf, 0, n);
                if (System.nanoTime() - start < 2_000_000_000L) Thread.sleep(2); // a slow reader, for a while
            }
            byte[] all = received.toByteArray();
            int bodyStart = indexOf(all, "\r\n\r\n".getBytes(StandardCharsets.US_ASCII)) + 4;
            byte[] body = java.util.Arrays.copyOfRange(all, bodyStart, all.length);
            assertArrayEquals(MessageDigest.getInstance("SHA-256").digest(file), MessageDigest.getInstance("SHA-256").digest(body),
                    "the whole file arrives although SIGTERM came in the middle");
            assertEquals(0, porta.awaitExit(), porta.output());
            assertTrue(porta.output().contains("Porta stopped"), porta.output());
        }
    }

    @Test
    void aFiftyMegabyteFileStreamsThroughASixtyFourMegabyteHeap() throws Exception {
        Path root = Files.createDirectories(dir.resolve("www"));
        Path big = root.resolve("fifty.bin");
        byte[] chunk = new byte[1 << 20];
        new Random(5).nextBytes(chunk);
        MessageDigest expected = MessageDigest.getInstance("SHA-256");
        try (OutputStream out = Files.newOutputStream(big)) {
            for (int i = 0; i < 50; i++) {
                out.write(chunk);
                expected.update(chunk);
            }
        }
        Path plugins = PortaProcess.pluginsWith(dir, "static-index");
        try (PortaProcess porta = PortaProcess.start(dir, List.of("-Xmx64m"), "--root", root.toString(), "--plugins", plugins.toString())) {
            int port = porta.awaitListening();
            for (int round = 0; round < 3; round++) {
                try (Socket socket = new Socket("127.0.0.1", port)) {
                    socket.getOutputStream().write("GET /fifty.bin HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                    InputStream in = socket.getInputStream();
                    byte[] all = in.readAllBytes();
                    int bodyStart = indexOf(all, "\r\n\r\n".getBytes(StandardCharsets.US_ASCII)) + 4;
                    MessageDigest got = MessageDigest.getInstance("SHA-256");
                    got.update(all, bodyStart, all.length - bodyStart);
                    assertEquals(50L << 20, all.length - bodyStart);
                    assertArrayEquals(((MessageDigest) expected.clone()).digest(), got.digest());
                }
            }
            assertTrue(porta.process().isAlive(), porta.output());
            assertTrue(!porta.output().contains("OutOfMemoryError"), porta.output());
        }
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int k = 0; k < needle.length; k++) {
                if (haystack[i + k] != needle[k]) continue outer;
            }
            return i;
        }
        return -1;
    }
}

package dev.porta.plugins.fastcgi;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The answer spool: PHP-FPM's side drained at once, the client's side at its pace, the bytes unchanged. */
@Timeout(30)
class AnswerSpoolTest {

    @TempDir
    Path dir;

    /** A source that counts what was taken from it and says when it was closed (the connection given back). */
    static final class Source extends InputStream {
        final InputStream bytes;
        final AtomicLong taken = new AtomicLong();
        final CountDownLatch closed = new CountDownLatch(1);

        Source(byte[] data) {
            this.bytes = new ByteArrayInputStream(data);
        }

        @Override
        public int read() throws IOException {
            int b = bytes.read();
            if (b >= 0) taken.incrementAndGet();
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = bytes.read(b, off, Math.min(len, 8192)); // PHP writes in records of a few KiB
            if (n > 0) taken.addAndGet(n);
            return n;
        }

        @Override
        public void close() {
            closed.countDown();
        }
    }

    static byte[] data(int size) {
        byte[] d = new byte[size];
        new Random(42).nextBytes(d);
        return d;
    }

    static byte[] readAll(InputStream in) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buf = new byte[3001]; // odd-sized reads cross every piece boundary
        for (int n; (n = in.read(buf)) >= 0; ) out.write(buf, 0, n);
        return out.toByteArray();
    }

    long filesIn(Path folder) throws IOException {
        try (Stream<Path> s = Files.list(folder)) {
            return s.count();
        }
    }

    @Test
    void aClientThatReadsNothingYetDoesNotHoldTheSourceAndGetsEveryByteLater() throws Exception {
        byte[] d = data(3_000_000);
        Source source = new Source(d);
        AnswerSpool spool = new AnswerSpool(source, dir, 100_000, 1L << 30);
        assertTrue(source.closed.await(10, TimeUnit.SECONDS), "the source drained and given back before the client read a byte");
        assertEquals(d.length, source.taken.get());
        assertEquals(1, filesIn(dir), "past the memory, a file");
        assertArrayEquals(d, readAll(spool));
        spool.close();
        assertEquals(0, filesIn(dir), "the file goes when both sides are done");
    }

    @Test
    void aSmallAnswerStaysInMemory() throws Exception {
        byte[] d = data(50_000);
        AnswerSpool spool = new AnswerSpool(new Source(d), dir, 100_000, 1L << 30);
        assertArrayEquals(d, readAll(spool));
        spool.close();
        assertEquals(0, filesIn(dir));
    }

    @Test
    void withoutAFileThePumpWaitsForTheClientAndNothingIsLost() throws Exception {
        byte[] d = data(1_000_000);
        Source source = new Source(d);
        // a folder that cannot hold a file (as a full disk): memory only, at the client's pace
        AnswerSpool spool = new AnswerSpool(source, dir.resolve("missing"), 100_000, 1L << 30);
        Thread.sleep(300);
        assertTrue(source.taken.get() <= 100_000 + 8192, "the pump waits for the client: " + source.taken.get());
        assertEquals(1, source.closed.getCount(), "the source is still held");
        assertArrayEquals(d, readAll(spool));
        spool.close();
    }

    @Test
    void pastTheFileLimitThePumpWaitsForTheClient() throws Exception {
        byte[] d = data(1_000_000);
        Source source = new Source(d);
        AnswerSpool spool = new AnswerSpool(source, dir, 100_000, 200_000);
        Thread.sleep(300);
        assertTrue(source.taken.get() <= 300_000 + 8192, "memory and file full: " + source.taken.get());
        assertArrayEquals(d, readAll(spool));
        spool.close();
        assertEquals(0, filesIn(dir));
    }

    @Test
    void closingBeforeTheEndClosesTheSourceAndDropsTheFile() throws Exception {
        AtomicBoolean endless = new AtomicBoolean(true);
        CountDownLatch closed = new CountDownLatch(1);
        InputStream source = new InputStream() { // PHP still writing
            @Override
            public int read() {
                return 'x';
            }

            @Override
            public int read(byte[] b, int off, int len) {
                if (!endless.get()) return -1;
                java.util.Arrays.fill(b, off, off + Math.min(len, 4096), (byte) 'x');
                return Math.min(len, 4096);
            }

            @Override
            public void close() {
                closed.countDown();
            }
        };
        AnswerSpool spool = new AnswerSpool(source, dir, 10_000, 100_000);
        byte[] some = new byte[100];
        assertEquals(100, spool.readNBytes(some, 0, 100));
        spool.close(); // the client went away
        assertTrue(closed.await(5, TimeUnit.SECONDS), "the source is closed: the request is aborted");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (filesIn(dir) > 0 && System.nanoTime() < deadline) Thread.sleep(10);
        assertEquals(0, filesIn(dir));
        assertThrows(IOException.class, () -> spool.read(some));
        endless.set(false);
    }

    @Test
    void aSourceThatBreaksIsAnErrorAfterTheBytesBeforeIt() throws Exception {
        byte[] d = data(20_000);
        InputStream source = new InputStream() {
            final InputStream in = new ByteArrayInputStream(d);

            @Override
            public int read() throws IOException {
                throw new IOException("broken");
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                int n = in.read(b, off, len);
                if (n < 0) throw new IOException("PHP-FPM closed the connection inside a record");
                return n;
            }
        };
        AnswerSpool spool = new AnswerSpool(source, dir, 100_000, 1L << 30);
        byte[] got = spool.readNBytes(d.length);
        assertArrayEquals(d, got);
        IOException e = assertThrows(IOException.class, spool::read);
        assertTrue(e.getMessage().contains("broke off"), e.getMessage());
        spool.close();
        assertFalse(Files.exists(dir.resolve("missing")));
    }
}

package dev.porta.plugins.fastcgi;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * An answer taken from PHP-FPM as fast as PHP writes it, and read by the client at its own pace, as nginx's
 * {@code fastcgi_buffering} does: a client that reads slowly, or not at all, no longer holds a PHP-FPM
 * connection (and its PHP worker) until the write timeout — four such clients held every worker for a
 * minute. A virtual thread pumps the source into memory ({@link #MEMORY_BYTES} at most), then into a file of
 * the plugin's data folder ({@link #FILE_BYTES} at most, deleted when both sides are done); past both, or
 * when the file cannot be written (a full disk), the pump waits for the client, which is the old behaviour.
 * The answer is never held whole in memory. Closing this stream before the end (the client went away, a
 * HEAD) stops the pump and closes the source, which aborts the request.
 */
final class AnswerSpool extends InputStream {

    static final int MEMORY_BYTES = 256 * 1024;
    static final long FILE_BYTES = 1L << 30;
    private static final int CHUNK = 64 * 1024;

    /** A run of the answer: bytes in memory, or a range of the file. */
    private static final class Piece {
        final byte[] bytes; // null: a file range
        final long fileStart;
        final int length;
        int read;

        Piece(byte[] bytes, long fileStart, int length) {
            this.bytes = bytes;
            this.fileStart = fileStart;
            this.length = length;
        }
    }

    private final InputStream source;
    private final Path folder;
    private final long fileLimit;
    private final int memoryLimit;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final ArrayDeque<Piece> pieces = new ArrayDeque<>();
    private int inMemory;
    private FileChannel file;
    private Path filePath;
    private long fileEnd;
    private boolean fileRefused;
    private boolean done;
    private IOException failure;
    private boolean closed;
    private int sidesLeft = 2;
    private final byte[] one = new byte[1];
    private final Thread pump;

    /** Starts pumping {@code source}; a file, when needed, goes in {@code folder}. */
    AnswerSpool(InputStream source, Path folder) {
        this(source, folder, MEMORY_BYTES, FILE_BYTES);
    }

    AnswerSpool(InputStream source, Path folder, int memoryLimit, long fileLimit) {
        this.source = source;
        this.folder = folder;
        this.memoryLimit = memoryLimit;
        this.fileLimit = fileLimit;
        this.pump = Thread.ofVirtual().name("fastcgi-answer").start(this::pump);
    }

    private void pump() {
        byte[] chunk = new byte[CHUNK];
        try {
            while (true) {
                int n = source.read(chunk, 0, chunk.length);
                if (n < 0) break;
                if (!keep(chunk, n)) break; // closed by the client's side
            }
            finish(null);
        } catch (IOException e) {
            finish(e);
        } catch (InterruptedException e) {
            finish(new InterruptedIOException("answer pump interrupted"));
        } finally {
            try {
                source.close(); // after the end: nothing to do; before it: aborts the request
            } catch (IOException ignored) {
                // the connection is dropped anyway
            }
            sideDone();
        }
    }

    /** Keeps {@code n} bytes of {@code chunk}: in memory, in the file, or after waiting for the client. False when closed. */
    private boolean keep(byte[] chunk, int n) throws InterruptedException {
        lock.lock();
        try {
            while (!closed) {
                if (inMemory + n <= memoryLimit) {
                    pieces.add(new Piece(Arrays.copyOf(chunk, n), 0, n));
                    inMemory += n;
                    changed.signalAll();
                    return true;
                }
                if (!fileRefused && fileEnd + n <= fileLimit && toFile(chunk, n)) {
                    changed.signalAll();
                    return true;
                }
                changed.await(); // memory full, and no file (full disk, past its limit): wait for the client
            }
            return false;
        } finally {
            lock.unlock();
        }
    }

    /** Appends to the file (made on first use); false when it cannot be written (and is not tried again). */
    private boolean toFile(byte[] chunk, int n) {
        try {
            if (file == null) {
                filePath = Files.createTempFile(folder, "answer-", ".tmp");
                file = FileChannel.open(filePath, StandardOpenOption.READ, StandardOpenOption.WRITE);
            }
            ByteBuffer b = ByteBuffer.wrap(chunk, 0, n);
            long at = fileEnd;
            while (b.hasRemaining()) at += file.write(b, at);
            pieces.add(new Piece(null, fileEnd, n));
            fileEnd += n;
            return true;
        } catch (IOException | RuntimeException e) {
            fileRefused = true; // a full disk, a missing folder: memory only from now on, at the client's pace
            return false;
        }
    }

    /** The pump is done: at the source's end ({@code e} null), or failed with {@code e}. */
    private void finish(IOException e) {
        lock.lock();
        try {
            if (e == null) done = true;
            else failure = e;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public int read() throws IOException {
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xFF;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) return 0;
        lock.lock();
        try {
            while (true) {
                if (closed) throw new IOException("answer closed");
                Piece p = pieces.peekFirst();
                if (p != null) {
                    int n = Math.min(len, p.length - p.read);
                    if (p.bytes != null) {
                        System.arraycopy(p.bytes, p.read, b, off, n);
                    } else {
                        n = file.read(ByteBuffer.wrap(b, off, n), p.fileStart + p.read);
                        if (n <= 0) throw new IOException("answer file shorter than written");
                    }
                    p.read += n;
                    if (p.read == p.length) {
                        pieces.pollFirst();
                        if (p.bytes != null) inMemory -= p.length;
                        changed.signalAll(); // room for the pump
                    }
                    return n;
                }
                if (failure != null) throw new IOException("PHP-FPM's answer broke off: " + failure.getMessage(), failure);
                if (done) return -1;
                changed.await();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting for PHP-FPM's answer");
        } finally {
            lock.unlock();
        }
    }

    /** Stops the pump (aborting the request if PHP has not finished) and lets the bytes go. */
    @Override
    public void close() {
        boolean pumping;
        lock.lock();
        try {
            if (closed) return;
            closed = true;
            pumping = !done && failure == null;
            pieces.clear();
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        if (pumping) pump.interrupt(); // a pump blocked reading PHP-FPM: its channel closes, which ends the request
        sideDone();
    }

    /** The file goes when both the pump and the reader are done with it. */
    private void sideDone() {
        FileChannel f;
        Path p;
        lock.lock();
        try {
            if (--sidesLeft > 0) return;
            f = file;
            p = filePath;
            file = null;
        } finally {
            lock.unlock();
        }
        if (f == null) return;
        try {
            f.close();
            Files.deleteIfExists(p);
        } catch (IOException ignored) {
            // a temporary file of the data folder: nothing else to do
        }
    }
}

package dev.porta.spi;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.channels.FileChannel;
import java.nio.file.Path;

/**
 * The body of a {@link Response}: nothing, bytes in memory, a region of a file (by path, or already open), a stream to read from, or
 * a body the handler writes as it goes ({@link #generated}).
 *
 * <p>The core decides the framing: a known {@link #length()} becomes {@code Content-Length}, an unknown
 * one ({@code -1}) becomes chunked transfer coding (HTTP/1.1) or a close-delimited body (HTTP/1.0). A
 * {@link FileRegion} is sent with {@code FileChannel.transferTo}, so a large file never passes through the
 * heap. For {@code HEAD} the core writes the headers only.
 *
 * <p>The kinds are records, fixed for 1.x; later 1.x versions may add kinds, so a plugin that switches over
 * a body handles a {@code default} case.
 */
public sealed interface Body permits Body.Empty, Body.Bytes, Body.FileRegion, Body.OpenFile, Body.Stream, Body.Generated {

    /** The body length in bytes, or {@code -1} when it is not known in advance. */
    long length();

    /** No body. */
    static Body empty() {
        return Empty.INSTANCE;
    }

    /** A body of these bytes (not copied: do not change the array afterwards). */
    static Body of(byte[] bytes) {
        return new Bytes(bytes);
    }

    /** A body of this text, encoded as UTF-8. */
    static Body of(String text) {
        return new Bytes(text.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * A body that {@code producer} writes as it goes, of unknown length: sent chunked (HTTP/1.1), so that
     * each {@code flush()} reaches the client at once — for server-sent events or a large generated body
     * that should not be held in memory.
     */
    static Body generated(Producer producer) {
        return new Generated(producer, -1);
    }

    /** A body that {@code producer} writes as it goes, of exactly {@code length} bytes ({@code Content-Length}). */
    static Body generated(long length, Producer producer) {
        return new Generated(producer, length);
    }

    /**
     * Writes a {@link Generated} body. Called once, on the connection's virtual thread, after the response
     * head was built (never for {@code HEAD} or a status without a body).
     */
    @FunctionalInterface
    interface Producer {
        /**
         * Writes the body to {@code out}. {@code out.flush()} sends what was written so far at once (a
         * chunk); otherwise the core sends in pieces of its choosing. Do not close {@code out}. Writing more
         * than a declared length, or fewer, ends the exchange cut short and closes the connection; so does an
         * exception, which also ends the exchange (the client sees a truncated body). A write blocks while
         * the client does not read, and fails after {@code timeouts.write}.
         */
        void writeTo(OutputStream out) throws IOException;
    }

    /** The body of no bytes. */
    enum Empty implements Body {
        INSTANCE;

        @Override
        public long length() {
            return 0;
        }
    }

    /** Bytes in memory. */
    record Bytes(byte[] bytes) implements Body {
        public Bytes {
            if (bytes == null) throw new IllegalArgumentException("bytes must not be null");
        }

        @Override
        public long length() {
            return bytes.length;
        }
    }

    /**
     * {@code length} bytes of {@code file} starting at {@code offset}. The core opens the file when it
     * writes the response; if the file has become shorter by then, the connection is closed.
     */
    record FileRegion(Path file, long offset, long length) implements Body {
        public FileRegion {
            if (file == null || offset < 0 || length < 0) {
                throw new IllegalArgumentException("bad file region " + file + " " + offset + "+" + length);
            }
        }
    }

    /**
     * {@code length} bytes starting at {@code offset} of a file the handler has already opened, sent like a
     * {@link FileRegion} (zero-copy) and closed by the core after writing, after a HEAD, or when the response
     * is dropped. Use it instead of a {@link FileRegion} when the file was checked through the open channel
     * (opened without following links, for example): a path would be opened again later, and a link swapped
     * in meanwhile would be followed. {@code file} is the path it was opened as, for the core's never-served
     * check and for messages; it is not opened again. A handler that replaces such a body closes the channel
     * it dropped. Since SPI 1.2.
     */
    record OpenFile(Path file, FileChannel channel, long offset, long length) implements Body {
        public OpenFile {
            if (file == null || channel == null || offset < 0 || length < 0) {
                throw new IllegalArgumentException("bad open file region " + file + " " + offset + "+" + length);
            }
        }
    }

    /**
     * Bytes read from {@code in}, which the core closes after writing (or after a HEAD). {@code length} is
     * the exact number of bytes the stream yields, or {@code -1} if unknown. A handler that replaces such a
     * body with another closes the stream it dropped: the core closes only the body it sends.
     */
    record Stream(InputStream in, long length) implements Body {
        public Stream {
            if (in == null || length < -1) throw new IllegalArgumentException("bad stream body");
        }
    }

    /** A body written by a {@link Producer}; {@code length} is exact, or {@code -1} when unknown (chunked). */
    record Generated(Producer producer, long length) implements Body {
        public Generated {
            if (producer == null || length < -1) throw new IllegalArgumentException("bad generated body");
        }
    }
}

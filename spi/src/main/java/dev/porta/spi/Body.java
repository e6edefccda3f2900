package dev.porta.spi;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * The body of a {@link Response}: nothing, bytes in memory, a region of a file, or a stream.
 *
 * <p>The core decides the framing: a known {@link #length()} becomes {@code Content-Length}, an unknown
 * one ({@code -1}) becomes chunked transfer coding (HTTP/1.1) or a close-delimited body (HTTP/1.0). A
 * {@link FileRegion} is sent with {@code FileChannel.transferTo}, so a large file never passes through the
 * heap. For {@code HEAD} the core writes the headers only.
 */
public sealed interface Body permits Body.Empty, Body.Bytes, Body.FileRegion, Body.Stream {

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
     * Bytes read from {@code in}, which the core closes after writing. {@code length} is the exact number
     * of bytes the stream yields, or {@code -1} if unknown.
     */
    record Stream(InputStream in, long length) implements Body {
        public Stream {
            if (in == null || length < -1) throw new IllegalArgumentException("bad stream body");
        }
    }
}

package dev.porta.server.http;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.WritableByteChannel;

/**
 * The socket's output stream, with every write reported to a {@link WriteClock}. Where the socket's channel
 * is at hand (plain HTTP), a write goes through it, and the clock starts again whenever some of it has gone:
 * the write timeout then cuts off a client that reads nothing, not one that reads slowly (as nginx's
 * {@code send_timeout}: between two successive writes). Through the stream a write returns only when all of
 * it has gone, so a client reading a few KB a second was cut off in the middle of one large write.
 */
public final class TimedOutputStream extends OutputStream {

    private final OutputStream out;
    private final WritableByteChannel channel;
    private final WriteClock clock;

    /** Wraps {@code out}. */
    public TimedOutputStream(OutputStream out, WriteClock clock) {
        this(out, null, clock);
    }

    /** Wraps {@code out}, writing through {@code channel} when it is not null (the same socket's channel, blocking). */
    public TimedOutputStream(OutputStream out, WritableByteChannel channel, WriteClock clock) {
        this.out = out;
        this.channel = channel;
        this.clock = clock;
    }

    @Override
    public void write(int b) throws IOException {
        clock.writeStarted();
        try {
            out.write(b);
        } finally {
            clock.writeEnded();
        }
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        clock.writeStarted();
        try {
            if (channel == null) {
                out.write(b, off, len);
                return;
            }
            // a blocking channel's write returns once some bytes have gone: each return is progress
            ByteBuffer bytes = ByteBuffer.wrap(b, off, len);
            while (bytes.hasRemaining()) {
                if (channel.write(bytes) > 0 && bytes.hasRemaining()) clock.writeStarted();
            }
        } finally {
            clock.writeEnded();
        }
    }

    @Override
    public void flush() throws IOException {
        out.flush();
    }

    @Override
    public void close() throws IOException {
        out.close();
    }
}

package dev.porta.server.http;

import java.io.IOException;
import java.io.OutputStream;

/** The socket's output stream, with every write reported to a {@link WriteClock}. */
public final class TimedOutputStream extends OutputStream {

    private final OutputStream out;
    private final WriteClock clock;

    /** Wraps {@code out}. */
    public TimedOutputStream(OutputStream out, WriteClock clock) {
        this.out = out;
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
            out.write(b, off, len);
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

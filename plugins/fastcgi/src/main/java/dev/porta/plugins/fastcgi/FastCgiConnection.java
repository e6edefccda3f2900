package dev.porta.plugins.fastcgi;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.time.Duration;

/**
 * One connection to PHP-FPM, over TCP or a Unix-domain socket, used by one request at a time: it writes
 * records and reads them back, each wait for PHP-FPM (to take what is written, or to write) bounded by
 * the answer timeout, a deadline the {@link Watchdog} enforces.
 */
final class FastCgiConnection implements Closeable {

    private static final int BUFFER = 64 * 1024;
    private static final byte[] PADDING = new byte[255];

    private final SocketChannel channel;
    private final Watchdog watchdog;
    private final Duration timeout;
    private final Buffered in;
    private final OutputStream out;
    private final byte[] header = new byte[Record.HEADER_LENGTH];
    /** When the current wait must end (System.nanoTime), or 0 while not waiting for PHP-FPM. */
    private volatile long deadline;
    /** Set by the watchdog when it closed the channel for being late: the failure is then a 504. */
    private volatile boolean expired;
    private boolean reused;

    private FastCgiConnection(SocketChannel channel, Watchdog watchdog, Duration timeout) {
        this.channel = channel;
        this.watchdog = watchdog;
        this.timeout = timeout;
        this.in = new Buffered(Channels.newInputStream(channel));
        this.out = new BufferedOutputStream(Channels.newOutputStream(channel), BUFFER);
    }

    /**
     * Connects to {@code address} within {@code connectTimeout}; each later wait is bounded by {@code timeout}.
     *
     * @throws UpstreamException 502 when PHP-FPM refuses or is not there, 504 when the connect took too long
     */
    static FastCgiConnection open(SocketAddress address, Duration connectTimeout, Duration timeout, Watchdog watchdog)
            throws UpstreamException {
        SocketChannel channel = null;
        FastCgiConnection c = null;
        try {
            boolean unix = address instanceof UnixDomainSocketAddress;
            channel = unix ? SocketChannel.open(StandardProtocolFamily.UNIX) : SocketChannel.open();
            c = new FastCgiConnection(channel, watchdog, timeout);
            watchdog.watch(c);
            c.arm(connectTimeout);
            channel.connect(resolved(address));
            c.disarm();
            if (!unix) channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
            return c;
        } catch (IOException e) {
            boolean late = c != null && c.expired;
            if (c != null) c.close();
            else if (channel != null) closeQuietly(channel);
            throw late ? new UpstreamException(504, "no connection within " + connectTimeout.toMillis() + " ms", e)
                    : new UpstreamException(502, "cannot connect: " + e, e);
        }
    }

    /** A host name is looked up at each connect (the JDK caches it), so that a changed address is followed. */
    private static SocketAddress resolved(SocketAddress address) {
        if (address instanceof InetSocketAddress inet && inet.isUnresolved()) {
            return new InetSocketAddress(inet.getHostString(), inet.getPort());
        }
        return address;
    }

    /**
     * Writes one record with {@code length} bytes of {@code content} (at most {@link Record#MAX_CONTENT});
     * buffered, so that a full buffer is what waits on PHP-FPM.
     */
    void writeRecord(int type, int requestId, byte[] content, int offset, int length) throws IOException {
        Record r = Record.of(type, requestId, length);
        r.encode(header, 0);
        arm(timeout);
        try {
            out.write(header, 0, Record.HEADER_LENGTH);
            if (length > 0) out.write(content, offset, length);
            if (r.paddingLength() > 0) out.write(PADDING, 0, r.paddingLength());
        } finally {
            disarm();
        }
    }

    /** Writes a whole stream's content as records, then its empty end record; buffered. */
    void writeStream(int type, int requestId, byte[] content) throws IOException {
        for (int offset = 0; offset < content.length; offset += Record.MAX_CONTENT) {
            writeRecord(type, requestId, content, offset, Math.min(Record.MAX_CONTENT, content.length - offset));
        }
        writeRecord(type, requestId, content, 0, 0);
    }

    /** Sends what is buffered. */
    void flush() throws IOException {
        arm(timeout);
        try {
            out.flush();
        } finally {
            disarm();
        }
    }

    /** Reads the next record header. */
    Record readHeader() throws IOException {
        arm(timeout);
        try {
            return Record.read(in, header);
        } finally {
            disarm();
        }
    }

    /** Reads up to {@code length} content bytes (at least one); -1 at the end. */
    int read(byte[] b, int offset, int length) throws IOException {
        arm(timeout);
        try {
            return in.read(b, offset, length);
        } finally {
            disarm();
        }
    }

    /** Bytes already received and buffered: reading them does not wait (and costs no system call). */
    int buffered() {
        return in.buffered();
    }

    /** Reads exactly {@code n} content bytes (a STDERR or END_REQUEST record's). */
    byte[] readContent(int n) throws IOException {
        arm(timeout);
        try {
            byte[] content = in.readNBytes(n);
            if (content.length < n) throw new EOFException("PHP-FPM closed the connection inside a record");
            return content;
        } finally {
            disarm();
        }
    }

    /** Skips exactly {@code n} bytes (padding, or content nobody wants). */
    void skip(int n) throws IOException {
        arm(timeout);
        try {
            in.skipNBytes(n);
        } finally {
            disarm();
        }
    }

    /** Whether this connection carried a request before (it came from the pool). */
    boolean reused() {
        return reused;
    }

    /** Marks the connection as taken from the pool. */
    void markReused() {
        reused = true;
    }

    /** Whether the channel is still open on this side (the watchdog closes idle and late ones). */
    boolean isOpen() {
        return channel.isOpen();
    }

    /**
     * Whether an idle connection can carry another request: nothing unread is waiting, and PHP-FPM has not
     * closed it meanwhile (it does on restart, or after {@code pm.max_requests}). One non-blocking read,
     * and switching the channel's mode twice: a few system calls.
     */
    boolean isReusable() {
        try {
            if (in.buffered() > 0) return false;
            channel.configureBlocking(false);
            try {
                return channel.read(ByteBuffer.allocate(1)) == 0;
            } finally {
                channel.configureBlocking(true);
            }
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * Marks the connection idle in the pool: the watchdog closes it after {@code idle}, which frees the
     * PHP-FPM worker it holds (a kept connection keeps its worker) and lets a dynamic pool shrink.
     */
    void park(Duration idle) {
        arm(idle);
    }

    /** Takes the connection out of the pool: no idle deadline any more. */
    void unpark() {
        disarm();
    }

    /** The answer timeout, for messages. */
    Duration timeout() {
        return timeout;
    }

    /** Whether the last failure came from the watchdog closing a late connection. */
    boolean expired() {
        return expired;
    }

    /** Called by the watchdog: closes the channel if its wait is over. */
    void expireIfLate(long now) {
        long d = deadline;
        if (d != 0 && now - d > 0) {
            expired = true;
            closeQuietly(channel);
        }
    }

    private void arm(Duration timeout) {
        long d = System.nanoTime() + timeout.toNanos();
        deadline = d == 0 ? 1 : d;
    }

    private void disarm() {
        deadline = 0;
    }

    @Override
    public void close() {
        watchdog.forget(this);
        closeQuietly(channel);
    }

    /** A buffered stream that tells how much it holds, without asking the socket. */
    private static final class Buffered extends BufferedInputStream {
        Buffered(InputStream in) {
            super(in, BUFFER);
        }

        int buffered() {
            return count - pos; // one reader at a time: the request's own thread
        }
    }

    private static void closeQuietly(SocketChannel channel) {
        try {
            channel.close();
        } catch (IOException ignored) {
            // closing a socket that is already broken: nothing to do
        }
    }
}

package dev.porta.plugins.fastcgi;

import java.net.SocketAddress;
import java.time.Duration;
import java.util.concurrent.ConcurrentLinkedDeque;

/**
 * At most {@code size} connections to PHP-FPM, open or being opened, kept open between requests
 * ({@code FCGI_KEEP_CONN}). A request holds one from {@link #acquire()} until it gives it back with
 * {@link #release} (reusable) or {@link #discard} (broken, or abandoned mid-answer).
 *
 * <p>PHP-FPM gives each kept connection a worker of its own until the connection closes. So the bound
 * must not exceed {@code pm.max_children}: a connection beyond the workers would wait in PHP-FPM's
 * listen queue while the other connections sit idle here, holding every worker (the request would end
 * in a 504). For the same reason an idle connection is closed after the idle timeout.
 */
final class ConnectionPool implements AutoCloseable {

    private final SocketAddress address;
    private final int size;
    private final Duration connectTimeout;
    private final Duration timeout;
    private final Duration idleTimeout;
    private final Watchdog watchdog;
    private final Permits permits;
    /** Last in, first out: the most recently used connection is the one least likely to have been closed. */
    private final ConcurrentLinkedDeque<FastCgiConnection> idle = new ConcurrentLinkedDeque<>();
    private volatile boolean closed;

    ConnectionPool(SocketAddress address, int size, Duration connectTimeout, Duration timeout, Duration idleTimeout,
                   Watchdog watchdog) {
        this.address = address;
        this.size = size;
        this.connectTimeout = connectTimeout;
        this.timeout = timeout;
        this.idleTimeout = idleTimeout;
        this.watchdog = watchdog;
        this.permits = new Permits(size);
        watchdog.watch(permits);
    }

    /**
     * A connection for one request: an idle one, or a new one. An idle one is checked with a non-blocking
     * read only when {@code verify} (the request has a body, which cannot be sent twice); a request without
     * one tries again on a new connection when a kept one turns out closed (see {@link FastCgiClient}),
     * which saves the check's system calls on every GET.
     *
     * @throws UpstreamException 503 when all are busy for the whole connect timeout; 502 or 504 when a new
     *                           connection fails or takes too long
     */
    FastCgiConnection acquire(boolean verify) throws UpstreamException {
        if (!permits.acquire(System.nanoTime() + connectTimeout.toNanos())) {
            if (Thread.currentThread().isInterrupted()) throw new UpstreamException(503, "interrupted while waiting for a connection");
            throw new UpstreamException(503, "all " + size + " connections busy for " + connectTimeout.toMillis() + " ms");
        }
        try {
            if (closed) throw new UpstreamException(503, "shutting down");
            FastCgiConnection c;
            while ((c = idle.pollFirst()) != null) {
                c.unpark();
                if (c.isOpen() && (!verify || c.isReusable())) {
                    c.markReused();
                    return c;
                }
                c.close();
            }
            return FastCgiConnection.open(address, connectTimeout, timeout, watchdog);
        } catch (UpstreamException | RuntimeException e) {
            permits.release();
            throw e;
        }
    }

    /** Gives back a connection whose request ended cleanly, for the next request. */
    void release(FastCgiConnection c) {
        if (closed) {
            c.close();
        } else {
            c.park(idleTimeout);
            idle.addFirst(c);
        }
        permits.release();
    }

    /** Gives back a connection that must not be used again, and closes it. */
    void discard(FastCgiConnection c) {
        c.close();
        permits.release();
    }

    /** Closes the idle connections; connections in use are closed as their requests give them back. */
    @Override
    public void close() {
        closed = true;
        FastCgiConnection c;
        while ((c = idle.pollFirst()) != null) c.close();
    }
}

package dev.porta.plugins.fastcgi;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Enforces the connect and answer timeouts. A blocking {@code SocketChannel} has no read timeout (and a
 * Unix-domain one has no {@code setSoTimeout} at all), so each connection arms a deadline before it waits
 * for PHP-FPM and disarms it after; one thread looks at the armed deadlines ten times a second and closes
 * the channel of a connection that is late, which ends its blocked read or connect. It also ends the waits
 * for a connection ({@link Permits}) that are past their deadline.
 */
final class Watchdog implements AutoCloseable {

    private static final long PERIOD_MS = 100;

    private final Set<FastCgiConnection> watched = ConcurrentHashMap.newKeySet();
    private final Set<Permits> permits = ConcurrentHashMap.newKeySet();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().daemon().name("fastcgi-timeouts").factory());

    Watchdog() {
        timer.scheduleWithFixedDelay(this::sweep, PERIOD_MS, PERIOD_MS, TimeUnit.MILLISECONDS);
    }

    void watch(FastCgiConnection connection) {
        watched.add(connection);
    }

    void watch(Permits waits) {
        permits.add(waits);
    }

    void forget(FastCgiConnection connection) {
        watched.remove(connection);
    }

    private void sweep() {
        long now = System.nanoTime();
        for (FastCgiConnection c : watched) c.expireIfLate(now);
        for (Permits p : permits) p.expire(now);
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}

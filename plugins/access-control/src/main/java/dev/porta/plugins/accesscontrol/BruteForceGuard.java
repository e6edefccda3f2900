package dev.porta.plugins.accesscontrol;

import java.net.InetAddress;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.tinylog.Logger;

/**
 * Counts failed logins per area and client address: after {@code maxFailures} within {@code window},
 * that address is locked out of the area until the window that began with its first failure has passed.
 */
final class BruteForceGuard {

    private static final int MAX_TRACKED = 100_000;

    private record Key(String area, InetAddress client) {
    }

    private record Tally(long windowStart, int failures) {
    }

    private final int maxFailures;
    private final long windowNanos;
    private final Map<Key, Tally> tallies = new ConcurrentHashMap<>();

    /** A guard; {@code maxFailures} 0 switches it off. */
    BruteForceGuard(int maxFailures, Duration window) {
        this.maxFailures = maxFailures;
        this.windowNanos = window.toNanos();
    }

    /** Seconds until {@code client} may try again in {@code area}, or 0 if it may now. */
    long lockedForSeconds(String area, InetAddress client) {
        if (maxFailures <= 0) return 0;
        Tally t = tallies.get(new Key(area, client));
        if (t == null || t.failures < maxFailures) return 0;
        long left = t.windowStart + windowNanos - System.nanoTime();
        if (left <= 0) {
            tallies.remove(new Key(area, client), t);
            return 0;
        }
        return Math.max(1, (left + 999_999_999L) / 1_000_000_000L);
    }

    /** Counts one failed login. */
    void failed(String area, InetAddress client) {
        if (maxFailures <= 0) return;
        if (tallies.size() >= MAX_TRACKED) tallies.clear();
        long now = System.nanoTime();
        Tally t = tallies.compute(new Key(area, client), (k, old) ->
                old == null || now - old.windowStart > windowNanos ? new Tally(now, 1) : new Tally(old.windowStart, old.failures + 1));
        if (t.failures == maxFailures) {
            Logger.warn("access-control: {} failed logins from {} to area {} within {} s: locked out until the window passes",
                    maxFailures, client.getHostAddress(), area, windowNanos / 1_000_000_000L);
        }
    }

    /** Forgets the failures of a client that logged in. */
    void succeeded(String area, InetAddress client) {
        if (maxFailures > 0) tallies.remove(new Key(area, client));
    }
}

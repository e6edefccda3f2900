package dev.porta.plugins.accesscontrol;

import java.net.InetAddress;
import java.time.Duration;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.tinylog.TaggedLogger;

/**
 * Counts failed logins per area and client ({@link ClientBlock}: an IPv4 address or an IPv6 /64): after
 * {@code maxFailures} within {@code window}, that client is locked out of the area until the window that
 * began with its first failure has passed.
 * A password check is reserved before it runs, so that parallel guesses cannot all slip in before the
 * first one fails: failures plus checks under way never exceed {@code maxFailures}. A successful login
 * gives back only its own reservation; failures expire only with the window. A full table makes room by
 * dropping its oldest entries, never all of them.
 */
final class BruteForceGuard {

    static final int MAX_TRACKED = 100_000;

    private record Key(String area, ClientBlock client) {
    }

    /** The failures of one key in its window, and its checks reserved and not yet finished. */
    private static final class Tally {
        long windowStart;
        int failures;
        int reserved;
    }

    private final int maxFailures;
    private final long windowNanos;
    private final TaggedLogger log;
    // in the order their windows began (oldest first), to know which to drop when full; guarded by this
    private final Map<Key, Tally> tallies = new LinkedHashMap<>();

    /** A guard; {@code maxFailures} 0 switches it off. Lockouts are logged to {@code log}. */
    BruteForceGuard(int maxFailures, Duration window, TaggedLogger log) {
        this.maxFailures = maxFailures;
        this.windowNanos = window.toNanos();
        this.log = log;
    }

    /**
     * One password check reserved: {@link #failed()} counts it as a failure; closing it without that gives
     * the reservation back (the password was right, or it was never checked).
     */
    final class Attempt implements AutoCloseable {
        private final Key key;
        private boolean finished;

        private Attempt(Key key) {
            this.key = key;
        }

        /** Counts the failure of this check. */
        void failed() {
            synchronized (BruteForceGuard.this) {
                if (finished || maxFailures <= 0) return;
                finished = true;
                long now = System.nanoTime();
                Tally t = tallies.get(key);
                if (t == null) t = track(key); // dropped meanwhile
                if (t.reserved > 0) t.reserved--;
                if (failuresInWindow(t, now) == 0) { // a new window: now the youngest entry
                    t.windowStart = now;
                    t.failures = 0;
                    tallies.remove(key);
                    tallies.put(key, t);
                }
                t.failures++;
                if (t.failures == maxFailures) {
                    log.warn("{} failed logins from {} to area {} within {} s: locked out until the window passes",
                            maxFailures, key.client, key.area, windowNanos / 1_000_000_000L);
                }
            }
        }

        @Override
        public void close() {
            synchronized (BruteForceGuard.this) {
                if (finished || maxFailures <= 0) return;
                finished = true;
                Tally t = tallies.get(key);
                if (t == null) return;
                if (t.reserved > 0) t.reserved--;
                if (t.reserved == 0 && failuresInWindow(t, System.nanoTime()) == 0) tallies.remove(key);
            }
        }
    }

    /**
     * Reserves one password check for {@code client} in {@code area}; empty when its failures and its
     * checks under way already reach {@code maxFailures}.
     */
    synchronized Optional<Attempt> reserve(String area, InetAddress client) {
        Key key = new Key(area, ClientBlock.of(client));
        if (maxFailures <= 0) return Optional.of(new Attempt(key));
        Tally t = tallies.get(key);
        if (t == null) t = track(key);
        if (failuresInWindow(t, System.nanoTime()) + t.reserved >= maxFailures) return Optional.empty();
        t.reserved++;
        return Optional.of(new Attempt(key));
    }

    /** Seconds until {@code client} may try again in {@code area}, or 0 if it may now. */
    synchronized long lockedForSeconds(String area, InetAddress client) {
        if (maxFailures <= 0) return 0;
        Key key = new Key(area, ClientBlock.of(client));
        Tally t = tallies.get(key);
        long now = System.nanoTime();
        if (t == null) return 0;
        if (t.reserved == 0 && failuresInWindow(t, now) == 0) tallies.remove(key); // its window has passed
        if (failuresInWindow(t, now) < maxFailures) return 0;
        long left = t.windowStart + windowNanos - now;
        return Math.max(1, (left + 999_999_999L) / 1_000_000_000L);
    }

    /** Seconds to tell a client whose reservation was refused: until its lock ends, or 1 while checks are under way. */
    long retryAfterSeconds(String area, InetAddress client) {
        return Math.max(1, lockedForSeconds(area, client));
    }

    private Tally track(Key key) {
        Iterator<Tally> oldest = tallies.values().iterator();
        while (tallies.size() >= MAX_TRACKED) {
            oldest.next();
            oldest.remove();
        }
        Tally t = new Tally();
        tallies.put(key, t);
        return t;
    }

    private int failuresInWindow(Tally t, long now) {
        return t.failures > 0 && now - t.windowStart <= windowNanos ? t.failures : 0;
    }
}

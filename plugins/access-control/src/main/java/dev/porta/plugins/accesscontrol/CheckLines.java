package dev.porta.plugins.accesscontrol;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One password check at a time per client: the others from the same client wait in its line, a short one,
 * in arrival order. So a client that sends many guesses at once holds at most one of the server's check
 * slots, and cannot push everyone else's logins to the back.
 */
final class CheckLines {

    /** How many may wait behind the check in flight; more get no turn. A browser opens up to 6 connections. */
    static final int MAX_WAITING = 10;
    private static final long MAX_WAIT_NANOS = TimeUnit.SECONDS.toNanos(10);

    /** A client's line: its turn, and how many hold or wait for it. */
    private static final class Line {
        final Semaphore turn = new Semaphore(1, true);
        int members;
    }

    /** The turn of one check; closing it lets the next in line go. */
    @FunctionalInterface
    interface Turn extends AutoCloseable {
        @Override
        void close();
    }

    private final Map<Object, Line> lines = new HashMap<>(); // guarded by this
    private final AtomicInteger waiting = new AtomicInteger();

    /** Waits for {@code client}'s turn; empty when its line is full or the turn did not come in time. */
    Optional<Turn> enter(Object client) {
        Line line;
        synchronized (this) {
            line = lines.computeIfAbsent(client, k -> new Line());
            if (line.members > MAX_WAITING) return Optional.empty();
            line.members++;
        }
        boolean got = false;
        waiting.incrementAndGet();
        try {
            got = line.turn.tryAcquire(MAX_WAIT_NANOS, TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            waiting.decrementAndGet();
        }
        if (!got) {
            leave(client, line);
            return Optional.empty();
        }
        return Optional.of(() -> {
            line.turn.release();
            leave(client, line);
        });
    }

    /** How many checks wait for their client's turn. */
    int waiting() {
        return waiting.get();
    }

    private synchronized void leave(Object client, Line line) {
        if (--line.members == 0) lines.remove(client, line);
    }
}

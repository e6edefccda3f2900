package dev.porta.plugins.fastcgi;

import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The right to hold one of a bounded number of connections, handed out first come, first served. A wait
 * ends at its deadline, which the {@link Watchdog} enforces ({@link #expire}) rather than a timer per wait:
 * a timed park costs a virtual thread a task in the JDK's delay scheduler and two wake-ups of its platform
 * thread (scheduled, then cancelled), which under s7's load — a dozen requests waiting for four PHP-FPM
 * connections — was a quarter of Porta's CPU. A released permit goes straight to the longest waiter.
 */
final class Permits {

    private final ReentrantLock lock = new ReentrantLock();
    private final ArrayDeque<Waiter> waiters = new ArrayDeque<>();
    private int available;

    Permits(int count) {
        this.available = count;
    }

    /** One waiting thread; its state changes under the lock, once, from waiting to granted or expired. */
    private static final class Waiter {
        final Thread thread = Thread.currentThread();
        final long deadline;
        volatile int state; // 0 waiting, 1 granted, 2 expired

        Waiter(long deadline) {
            this.deadline = deadline;
        }
    }

    /**
     * Takes a permit, waiting until {@code deadline} ({@link System#nanoTime()}) at the latest (give or take
     * the watchdog's period).
     *
     * @return false when the deadline passed first, or the thread was interrupted (its interrupt kept)
     */
    boolean acquire(long deadline) {
        Waiter w;
        lock.lock();
        try {
            if (available > 0 && waiters.isEmpty()) {
                available--;
                return true;
            }
            w = new Waiter(deadline);
            waiters.addLast(w);
        } finally {
            lock.unlock();
        }
        while (true) {
            LockSupport.park(this);
            if (w.state == 1) return true;
            if (w.state == 2) return false;
            if (Thread.currentThread().isInterrupted()) {
                lock.lock();
                try {
                    if (w.state == 1) return true; // granted meanwhile: the caller owns it
                    waiters.remove(w);
                    w.state = 2;
                    return false;
                } finally {
                    lock.unlock();
                }
            }
        }
    }

    /** Gives a permit back: to the longest waiter, if any. */
    void release() {
        Waiter w;
        lock.lock();
        try {
            w = waiters.pollFirst();
            if (w == null) {
                available++;
                return;
            }
            w.state = 1;
        } finally {
            lock.unlock();
        }
        LockSupport.unpark(w.thread);
    }

    /** Ends the waits whose deadline is before {@code now}; called by the watchdog. */
    void expire(long now) {
        lock.lock();
        try {
            for (Iterator<Waiter> i = waiters.iterator(); i.hasNext(); ) {
                Waiter w = i.next();
                if (now - w.deadline > 0) {
                    i.remove();
                    w.state = 2;
                    LockSupport.unpark(w.thread);
                }
            }
        } finally {
            lock.unlock();
        }
    }

    /** How many permits are free now (for tests). */
    int available() {
        lock.lock();
        try {
            return available;
        } finally {
            lock.unlock();
        }
    }
}

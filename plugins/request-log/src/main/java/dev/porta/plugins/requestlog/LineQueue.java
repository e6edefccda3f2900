package dev.porta.plugins.requestlog;

import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * The bounded hand-off from request threads to the access-log writer thread. While the writer keeps up,
 * a request thread that finds the queue full waits for room (no line is dropped); while it fails or is
 * stuck, it waits at most {@link #MAX_WAIT_MILLIS}, then the line is dropped and counted.
 */
final class LineQueue {

    /** The longest a request thread waits for room while the writer is not healthy. */
    static final long MAX_WAIT_MILLIS = 100;
    /** A writer that has not come round its loop for this long, with the queue full, is stuck (a hung disk). */
    private static final long STUCK_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final ArrayBlockingQueue<String> lines;
    private final AtomicLong dropped = new AtomicLong();
    /** Calls to {@link #add} under way: {@link #close()} waits for them, so that none lands after the last drain. */
    private final AtomicInteger adding = new AtomicInteger();
    private volatile boolean closed;
    private volatile boolean writerFailing;
    private volatile long writerSeen = System.nanoTime();
    private volatile Thread writer;

    LineQueue(int capacity) {
        this.lines = new ArrayBlockingQueue<>(capacity);
    }

    /** Queues {@code line}; false if it was dropped (the writer is failing and the queue stayed full) or the queue is closed. */
    boolean add(String line) {
        adding.incrementAndGet();
        try {
            if (closed) return false;
            if (lines.offer(line)) return true;
            Thread w = writer;
            if (w != null) LockSupport.unpark(w); // full: no need to wait for the writer's next round
            while (true) {
                if (lines.offer(line, MAX_WAIT_MILLIS, TimeUnit.MILLISECONDS)) return true;
                if (!writerHealthy()) {
                    dropped.incrementAndGet();
                    return false;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            dropped.incrementAndGet();
            return false;
        } finally {
            adding.decrementAndGet();
        }
    }

    private boolean writerHealthy() {
        return !writerFailing && System.nanoTime() - writerSeen < STUCK_NANOS;
    }

    /** Moves up to {@code max} lines into {@code into}; the number moved. */
    int drainTo(List<String> into, int max) {
        return lines.drainTo(into, max);
    }

    /** The writer thread, told once: it is woken when the queue is full. */
    void writer(Thread thread) {
        this.writer = thread;
    }

    /** The writer comes round its loop: it is not stuck. */
    void writerAlive() {
        writerSeen = System.nanoTime();
    }

    /** Whether the writer's last write failed: then request threads do not wait long for room. */
    void writerFailing(boolean failing) {
        this.writerFailing = failing;
    }

    /** Counts lines the writer had to give up, into the same count as the ones dropped here. */
    void dropped(long count) {
        dropped.addAndGet(count);
    }

    /** The lines dropped since the last call. */
    long takeDropped() {
        return dropped.getAndSet(0);
    }

    /** Refuses lines from now on, and returns once no {@link #add} is under way: every accepted line is then in the queue. */
    void close() {
        closed = true;
        while (adding.get() > 0) LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
    }

    boolean isClosed() {
        return closed;
    }
}

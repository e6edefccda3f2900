package dev.porta.server.connection;

import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * The virtual threads that serve connections: one per connection while it is open, and a few spare ones
 * parked, waiting for the next connection.
 *
 * <p>Why spares: a thread {@link Thread#start started} anywhere waits in the scheduler's shared queue,
 * and a carrier that has work in its own queue runs that first — under load, behind every busy connection
 * the poller keeps waking (the JDK's socket poller on Linux runs as a virtual thread, and what it wakes,
 * it pushes onto its carrier's own queue, FIFO). A new connection then waited up to half a second for its
 * first step. A parked spare that the accepting (virtual) thread wakes is pushed onto that same FIFO queue,
 * so a new connection takes its turn with the busy ones. A thread whose connection ended becomes a spare
 * again while fewer than {@code spares} are parked; a connection that finds none starts a fresh thread (the
 * shared queue; only when more connections arrive at once than there are spares).
 */
public final class ConnectionThreads {

    private final ThreadFactory factory;
    private final int spares;
    private final ConcurrentLinkedDeque<Spare> parked = new ConcurrentLinkedDeque<>();
    private final AtomicInteger parkedCount = new AtomicInteger();
    private volatile boolean closed;

    /** Threads from {@code factory}; at most {@code spares} kept parked between connections. */
    public ConnectionThreads(ThreadFactory factory, int spares) {
        this.factory = factory;
        this.spares = spares;
    }

    /**
     * Runs {@code connection} on a spare thread, or on a new one when none is parked.
     *
     * @throws IllegalStateException when the factory refuses a thread (returns null)
     */
    public void serve(Runnable connection) {
        Spare spare = parked.pollFirst();
        if (spare != null) {
            parkedCount.decrementAndGet();
            spare.next = connection;
            LockSupport.unpark(spare.thread);
            return;
        }
        Spare fresh = new Spare(connection);
        Thread thread = factory.newThread(fresh::run);
        if (thread == null) throw new IllegalStateException("no thread for a new connection");
        fresh.thread = thread;
        thread.start();
    }

    /** How many threads are parked, waiting for a connection. */
    public int parked() {
        return parkedCount.get();
    }

    /** Ends the parked threads, and each busy one when its connection ends. */
    public void close() {
        closed = true;
        Spare spare;
        while ((spare = parked.pollFirst()) != null) {
            parkedCount.decrementAndGet();
            LockSupport.unpark(spare.thread);
        }
    }

    /** One thread's life: its first connection, then, while wanted as a spare, the ones it is handed. */
    private final class Spare {
        volatile Thread thread;
        volatile Runnable next;

        Spare(Runnable first) {
            this.next = first;
        }

        void run() {
            while (true) {
                Runnable connection = next;
                next = null;
                connection.run();
                Thread.interrupted(); // a connection's interrupt is not the next one's
                if (!parkAgain()) return;
                while (next == null && !closed) LockSupport.park(this);
                if (next == null) return; // closed while parked
            }
        }

        /** Joins the spares, unless enough are parked or the threads are closing. */
        private boolean parkAgain() {
            if (closed) return false;
            if (parkedCount.incrementAndGet() > spares) {
                parkedCount.decrementAndGet();
                return false;
            }
            parked.addFirst(this); // the most recently used first: its stack is warm
            if (closed && parked.remove(this)) { // else close() took it and unparks it
                parkedCount.decrementAndGet();
                return false;
            }
            return true;
        }
    }
}

package dev.porta.server.connection;

import java.io.IOException;
import java.nio.channels.CancelledKeyException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadFactory;
import org.tinylog.Logger;

/**
 * Where connections of the selector model wait between requests: one platform thread and one
 * {@link Selector}, holding no virtual thread per idle connection. A connection with nothing to read hands
 * itself in ({@link #park}); when its channel becomes readable (bytes, the end of the stream, an input shut
 * down by the watchdog), its key is cancelled and a new virtual thread from {@code threads} resumes it.
 *
 * <p>Only this thread registers channels: a key cancelled here is deregistered at the start of the next
 * selection, and a channel cannot be registered again until then (a {@link CancelledKeyException}), so a
 * connection parked again that quickly is registered after one {@code selectNow}. The key is cancelled
 * before the connection's thread starts, so that the thread may switch its channel back to blocking mode
 * (a channel with a valid key cannot be).
 */
public final class IdleSelector implements AutoCloseable {

    private final Selector selector;
    private final ConcurrentLinkedQueue<Connection> arriving = new ConcurrentLinkedQueue<>();
    private final ThreadFactory threads;
    private final Thread thread;
    private volatile boolean open = true;
    /**
     * Whether the thread is (about to be) blocked in {@code select}: only then does a park wake it. It sets
     * this, then looks at {@link #arriving}; a park adds, then looks at this: one of the two always sees the
     * other. (An unconditional {@code wakeup} per park cost 14 % of s1's CPU: an eventfd write and a contended
     * monitor.)
     */
    private volatile boolean sleeping;

    /** Opens the selector and starts its thread; resumed connections run on threads from {@code threads}. */
    public IdleSelector(ThreadFactory threads) throws IOException {
        this.threads = threads;
        this.selector = Selector.open();
        this.thread = Thread.ofPlatform().name("porta-idle-selector").daemon().start(this::loop);
    }

    /**
     * Takes a connection whose channel is already non-blocking and whose thread ends after this call;
     * it is registered on this selector's thread.
     *
     * @throws IllegalStateException when the selector has stopped (the connection is then to close)
     */
    void park(Connection connection) {
        if (!open) throw new IllegalStateException("the idle-connection selector has stopped");
        arriving.add(connection);
        if (sleeping) selector.wakeup();
    }

    /** Makes the selector deregister keys cancelled by a close from another thread, so their sockets close. */
    void nudge() {
        selector.wakeup();
    }

    /** Runs {@code connection} on a new thread; false if no thread could be made (the caller ends it). */
    boolean resume(Connection connection) {
        try {
            Thread t = threads.newThread(connection);
            if (t == null) return false;
            t.start();
            return true;
        } catch (RuntimeException | Error e) {
            Logger.warn("Could not resume a connection from {}: {}", connection.peer(), e.toString());
            if (e instanceof VirtualMachineError vme) throw vme;
            return false;
        }
    }

    private void loop() {
        try {
            while (open) {
                sleeping = true;
                if (arriving.isEmpty()) selector.select(this::ready);
                else selector.selectNow(this::ready);
                sleeping = false;
                register();
            }
        } catch (ClosedSelectorException e) {
            // closed by the server's stop
        } catch (IOException | RuntimeException e) {
            Logger.error(e, "The idle-connection selector failed");
        } finally {
            // From now on a park fails (its connection closes rather than wait for a selector that is gone);
            // whatever still waits here is ended by its own thread.
            open = false;
            for (Connection c; (c = arriving.poll()) != null; ) wake(c);
        }
    }

    /** A channel became readable: its connection gets a thread again. */
    private void ready(SelectionKey key) {
        key.cancel();
        Connection c = (Connection) key.attachment();
        if (c.unpark()) {
            c.becameReadable(); // before its thread starts, which orders it
            if (!resume(c)) c.abandon();
        }
    }

    private void wake(Connection c) {
        if (c.unpark() && !resume(c)) c.abandon();
    }

    private void register() throws IOException {
        for (Connection c; (c = arriving.poll()) != null; ) {
            if (!c.isParked()) continue; // the shutdown took it already
            try {
                try {
                    c.channel().register(selector, SelectionKey.OP_READ, c);
                } catch (CancelledKeyException stillRegistered) {
                    selector.selectNow(this::ready); // deregisters the key this thread cancelled a moment ago
                    c.channel().register(selector, SelectionKey.OP_READ, c);
                }
            } catch (ClosedChannelException | IllegalStateException e) {
                wake(c); // closed meanwhile (the shutdown, a timeout): its thread ends it
            }
        }
    }

    /** Stops the thread; connections still parked are resumed (and, the server stopping, end). */
    @Override
    public void close() {
        open = false;
        selector.wakeup();
        try {
            thread.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        for (SelectionKey key : selector.keys()) {
            key.cancel();
            if (key.attachment() instanceof Connection c) wake(c);
        }
        try {
            selector.close();
        } catch (IOException ignored) {
            // nothing to do
        }
    }
}

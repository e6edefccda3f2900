package dev.porta.plugins.requestlog;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.tinylog.Logger;

/**
 * The access log on disk, written by a thread of its own so that no request waits on the disk, to a
 * {@link LineSink} ({@link RollingLogFile}). {@link #close()} writes every queued line before it returns.
 *
 * <p>A request thread only adds its line to a lock-free queue; the writer thread wakes every
 * {@link #PERIOD_NANOS} and writes what has piled up (waking it for every line cost a context switch per
 * request). When the queue is full, request threads wait for room: no line is ever dropped.
 */
final class AccessLogFile implements AutoCloseable {

    private static final long PERIOD_NANOS = TimeUnit.MILLISECONDS.toNanos(50);

    private final LineSink writer;
    private final Queue<String> queue = new ConcurrentLinkedQueue<>();
    private final AtomicInteger queued = new AtomicInteger();
    private final int capacity;
    private final Thread thread;
    private volatile boolean stopping;

    AccessLogFile(LineSink sink, int queueCapacity) {
        this.writer = sink;
        this.capacity = queueCapacity;
        this.thread = Thread.ofPlatform().name("porta-access-log").daemon().start(this::drain);
    }

    /** Queues one line; waits only when the writer is that far behind (no line is dropped). */
    void append(String line) {
        int size = queued.incrementAndGet();
        queue.add(line);
        if (size > capacity / 2) LockSupport.unpark(thread);
        while (queued.get() > capacity && !stopping) {
            LockSupport.unpark(thread);
            LockSupport.parkNanos(100_000);
        }
    }

    private void drain() {
        while (true) {
            boolean last = stopping;
            try {
                List<String> batch = new ArrayList<>();
                String line;
                while ((line = queue.poll()) != null) batch.add(line);
                int written = batch.size();
                if (!batch.isEmpty()) writer.write(batch);
                queued.addAndGet(-written);
            } catch (IOException | RuntimeException e) {
                Logger.error(e, "The access log cannot be written");
            }
            if (last) return;
            LockSupport.parkNanos(PERIOD_NANOS);
        }
    }

    /** Writes what is queued, then closes the file. */
    @Override
    public void close() {
        try {
            stopping = true;
            LockSupport.unpark(thread);
            thread.join(TimeUnit.SECONDS.toMillis(30));
            writer.close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException e) {
            Logger.error(e, "The access log cannot be closed");
        }
    }
}

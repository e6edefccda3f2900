package dev.porta.server.connection;

import dev.porta.server.pipeline.ActivePipeline;
import dev.porta.server.pipeline.Pipeline;
import dev.porta.spi.CompletedExchange;
import dev.porta.spi.ConnectionEvent;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.tinylog.Logger;

/**
 * Tells the observers about the refusals the accepting thread answers itself (the 503 of a full server),
 * on a platform thread of its own: observers are plugin code, and the accepting thread must neither wait
 * on them nor die of them. The queue is bounded; when it is full a refusal goes unreported, and the count
 * of those is logged once per interval.
 */
public final class RefusalReporter implements AutoCloseable {

    private static final long WARN_INTERVAL_NANOS = 10_000_000_000L;

    private final ActivePipeline pipelines;
    private final BlockingQueue<Refused> queue;
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong unwarned = new AtomicLong();
    private final Thread thread;
    private volatile boolean closing;
    private long lastWarnNanos = System.nanoTime() - WARN_INTERVAL_NANOS;

    /** Reports to {@code pipeline}'s observers, holding at most {@code capacity} waiting refusals. */
    public RefusalReporter(Pipeline pipeline, int capacity) {
        this(new ActivePipeline(pipeline), capacity);
    }

    /** Reports to the observers of the pipeline current when each refusal is reported. */
    public RefusalReporter(ActivePipeline pipelines, int capacity) {
        this.pipelines = pipelines;
        this.queue = new ArrayBlockingQueue<>(capacity);
        this.thread = Thread.ofPlatform().name("porta-refusals").daemon().start(this::run);
    }

    /** A refusal as exchange observers and connection observers see it. */
    private record Refused(CompletedExchange exchange, ConnectionEvent event) {
    }

    /** Queues a refusal for the observers; never blocks. {@code exchange} is null when no answer was sent (HTTPS). */
    public void report(CompletedExchange exchange, ConnectionEvent event) {
        Pipeline pipeline = pipelines.current();
        if (!pipeline.isObserved() && !pipeline.isConnectionObserved()) return;
        if (closing || !queue.offer(new Refused(exchange, event))) {
            dropped.incrementAndGet();
            unwarned.incrementAndGet();
        }
    }

    /** The refusals not reported so far because the queue was full. */
    public long dropped() {
        return dropped.get();
    }

    private void run() {
        while (true) {
            Refused next;
            try {
                next = queue.poll(100, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                return;
            }
            if (next != null) {
                try {
                    Pipeline pipeline = pipelines.current();
                    pipeline.connection(next.event());
                    if (next.exchange() != null) pipeline.completed(next.exchange()); // none on the HTTPS port
                } catch (Throwable e) {
                    Logger.error(e, "Reporting a refusal failed");
                }
            } else if (closing) {
                return;
            }
            warnOfDrops(false);
        }
    }

    private void warnOfDrops(boolean now) {
        long n = unwarned.get();
        if (n == 0 || (!now && System.nanoTime() - lastWarnNanos < WARN_INTERVAL_NANOS)) return;
        unwarned.addAndGet(-n);
        lastWarnNanos = System.nanoTime();
        Logger.warn("{} refused connection(s) were not reported to the observers: their queue was full", n);
    }

    /** Reports what is queued, then stops; waits up to 2 s. */
    @Override
    public void close() {
        closing = true;
        try {
            thread.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        warnOfDrops(true);
    }
}

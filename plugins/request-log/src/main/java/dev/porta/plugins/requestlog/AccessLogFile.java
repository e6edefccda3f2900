package dev.porta.plugins.requestlog;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.tinylog.Logger;
import org.tinylog.TaggedLogger;

/**
 * The access log, written by a thread of its own so that no request waits on the disk: request threads
 * put lines in a {@link LineQueue}, the writer thread moves them to a {@link LineSink} (the
 * {@link RollingLogFile}). The sink is only ever touched by the writer thread, which also closes it.
 *
 * <p>The writer wakes every {@code period} and writes what has piled up (waking it for every line cost a
 * context switch per request). When a write fails it keeps the lines and tries again each period, so
 * writing resumes when the disk recovers; meanwhile the queue fills and lines are dropped (see
 * {@link LineQueue}), and one warning per {@code warnInterval} says how many.
 */
final class AccessLogFile implements AutoCloseable {

    /** Lines of this plugin's own, tagged with its id as the lines of context.logger() are. */
    private static final TaggedLogger LOG = Logger.tag("request-log");

    private static final Duration PERIOD = Duration.ofMillis(50);
    private static final Duration WARN_INTERVAL = Duration.ofSeconds(10);
    /** Lines per write: one batch is never much more than the sink can take in one go. */
    private static final int BATCH_LINES = 4096;
    /** How long {@link #close()} waits for a writer stuck in a write (a hung disk) before it gives up on it. */
    private static final long CLOSE_WAIT_MILLIS = TimeUnit.SECONDS.toMillis(30);

    private final LineQueue queue;
    private final LineSink sink;
    private final long periodNanos;
    private final long warnIntervalNanos;
    private final Thread thread;
    private volatile boolean stopping;

    AccessLogFile(LineSink sink, int queueCapacity) {
        this(sink, queueCapacity, PERIOD, WARN_INTERVAL);
    }

    AccessLogFile(LineSink sink, int queueCapacity, Duration period, Duration warnInterval) {
        this.sink = sink;
        this.queue = new LineQueue(queueCapacity);
        this.periodNanos = period.toNanos();
        this.warnIntervalNanos = warnInterval.toNanos();
        this.thread = Thread.ofPlatform().name("porta-access-log").daemon().unstarted(this::run);
        queue.writer(thread);
        thread.start();
    }

    /**
     * Queues one line. Returns false when the line was dropped (the disk is failing and the queue stayed
     * full) or came after {@link #close()}; it never waits long on a failing disk.
     */
    boolean append(String line) {
        return queue.add(line);
    }

    private void run() {
        List<String> batch = new ArrayList<>();
        boolean failing = false;
        long lastWarning = System.nanoTime();
        while (true) {
            boolean last = stopping; // read before draining: every line accepted before close() is queued by now
            while (!batch.isEmpty() || queue.drainTo(batch, BATCH_LINES) > 0) {
                try {
                    sink.write(batch); // removes what it wrote
                    queue.writerAlive();
                    if (failing) {
                        failing = false;
                        queue.writerFailing(false);
                        LOG.info("writes the access log again");
                    }
                } catch (IOException | RuntimeException e) {
                    if (!failing) {
                        failing = true;
                        queue.writerFailing(true);
                        LOG.error(e, "cannot write the access log; retrying, and dropping lines while the queue is full");
                    }
                    break; // the batch is kept for the next round
                }
            }
            if (!failing) queue.writerAlive();
            long now = System.nanoTime();
            if (last) {
                if (!batch.isEmpty()) queue.dropped(batch.size());
                List<String> rest = new ArrayList<>();
                queue.drainTo(rest, Integer.MAX_VALUE);
                queue.dropped(rest.size());
                warnDropped();
                closeSink();
                return;
            }
            if (now - lastWarning >= warnIntervalNanos) {
                warnDropped();
                lastWarning = now;
            }
            LockSupport.parkNanos(periodNanos);
        }
    }

    private void warnDropped() {
        long dropped = queue.takeDropped();
        if (dropped > 0) LOG.warn("dropped {} access-log lines: the log file could not be written", dropped);
    }

    private void closeSink() {
        try {
            sink.close();
        } catch (IOException | RuntimeException e) {
            LOG.error(e, "cannot close the access log");
        }
    }

    /**
     * Writes every line accepted so far, then closes the file; lines appended from now on are refused.
     * On a failing disk the lines still waiting are dropped (and counted) after one more try.
     */
    @Override
    public void close() {
        queue.close();
        stopping = true;
        LockSupport.unpark(thread);
        try {
            thread.join(CLOSE_WAIT_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        // a writer stuck in a write keeps the file: closing it under the write could lose or tear lines
        if (thread.isAlive()) LOG.error("the access log is stuck in a write; its last lines may be lost");
    }
}

package dev.porta.plugins.requestlog;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.tinylog.Level;
import org.tinylog.Logger;
import org.tinylog.core.LogEntry;
import org.tinylog.runtime.RuntimeProvider;
import org.tinylog.writers.RollingFileWriter;

/**
 * The access log on disk, written by a thread of its own so that no request waits on the disk. Lines go
 * through a tinylog {@link RollingFileWriter} that this plugin owns (tinylog's global configuration is
 * frozen once the server logs): files {@code NAME.DATE.COUNT.EXT} rotated daily and/or by size, a set
 * number kept, and {@code NAME.EXT} a hard link to the current one. {@link #close()} writes every queued
 * line before it returns.
 *
 * <p>A request thread only adds its line to a lock-free queue; the writer thread wakes every
 * {@link #PERIOD_NANOS} and writes what has piled up (waking it for every line cost a context switch per
 * request). When the queue is full, request threads wait for room: no line is ever dropped.
 */
final class AccessLogFile implements AutoCloseable {

    private static final long PERIOD_NANOS = TimeUnit.MILLISECONDS.toNanos(50);

    private final RollingFileWriter writer;
    private final Queue<String> queue = new ConcurrentLinkedQueue<>();
    private final AtomicInteger queued = new AtomicInteger();
    private final int capacity;
    /** The most bytes per entry handed to tinylog: size rotation is checked per entry, so a file passes its limit by at most this. */
    private final int batchBytes;
    private final Thread thread;
    private volatile boolean stopping;

    /**
     * @param link    the path people read ({@code logs/access.log}): a link to the current file
     * @param daily   rotate at midnight
     * @param maxSize rotate past this size in bytes; 0 for no limit
     * @param keep    rotated files kept
     */
    AccessLogFile(Path link, boolean daily, long maxSize, int keep, int queueCapacity) throws IOException {
        Path folder = link.toAbsolutePath().getParent();
        Files.createDirectories(folder);
        String name = link.getFileName().toString();
        int dot = name.lastIndexOf('.');
        String base = dot > 0 ? name.substring(0, dot) : name;
        String ext = dot > 0 ? name.substring(dot) : "";
        List<String> policies = new ArrayList<>();
        if (daily) policies.add("daily");
        if (maxSize > 0) policies.add("size: " + maxSize);
        Map<String, String> settings = new HashMap<>();
        // {count} in the name: a rolling name without it would truncate the same file at each roll
        settings.put("file", folder.resolve(base + ".{date:yyyy-MM-dd}.{count}" + ext).toString());
        settings.put("latest", link.toAbsolutePath().toString());
        settings.put("format", "{message}");
        settings.put("charset", "UTF-8");
        settings.put("buffered", "true");
        settings.put("backups", Integer.toString(keep));
        if (!policies.isEmpty()) settings.put("policies", String.join(", ", policies));
        this.writer = new RollingFileWriter(settings);
        this.capacity = queueCapacity;
        this.batchBytes = (int) (maxSize > 0 ? Math.max(1, Math.min(256 * 1024, maxSize / 4)) : 256 * 1024);
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
                // Lines go to the writer in batches (one entry of many lines, the format adding the last
                // line end): tinylog's work per entry then hardly counts. See batchBytes for rotation.
                StringBuilder batch = new StringBuilder(64 * 1024);
                int written = 0;
                String line;
                while ((line = queue.poll()) != null) {
                    if (!batch.isEmpty() && batch.length() + line.length() >= batchBytes) {
                        writer.write(entry(batch.toString()));
                        batch.setLength(0);
                    }
                    if (!batch.isEmpty()) batch.append('\n');
                    batch.append(line);
                    written++;
                }
                if (!batch.isEmpty()) writer.write(entry(batch.toString()));
                queued.addAndGet(-written);
                if (written > 0) writer.flush(); // on disk within one period
            } catch (IOException | RuntimeException e) {
                Logger.error(e, "The access log cannot be written");
            }
            if (last) return;
            LockSupport.parkNanos(PERIOD_NANOS);
        }
    }

    private static LogEntry entry(String line) {
        return new LogEntry(RuntimeProvider.createTimestamp(), null, Map.of(), null, null, null, -1, null, Level.INFO, line, null);
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

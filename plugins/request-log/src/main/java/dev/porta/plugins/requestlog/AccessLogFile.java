package dev.porta.plugins.requestlog;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
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
 */
final class AccessLogFile implements AutoCloseable {

    private static final String STOP = new String("stop"); // identity marks the end of the queue

    private final RollingFileWriter writer;
    private final BlockingQueue<String> queue;
    private final Thread thread;

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
        this.queue = new ArrayBlockingQueue<>(queueCapacity);
        this.thread = Thread.ofPlatform().name("porta-access-log").daemon().start(this::drain);
    }

    /** Queues one line; waits only when the writer is that far behind (no line is dropped). */
    void append(String line) {
        try {
            queue.put(line);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void drain() {
        List<String> batch = new ArrayList<>(1024);
        while (true) {
            try {
                String first = queue.poll(200, TimeUnit.MILLISECONDS);
                if (first == null) {
                    writer.flush(); // idle: what is written is on disk within a moment
                    continue;
                }
                batch.add(first);
                queue.drainTo(batch, 4096);
                boolean stop = false;
                for (String line : batch) {
                    if (line == STOP) {
                        stop = true;
                    } else {
                        writer.write(entry(line));
                    }
                }
                batch.clear();
                if (stop) {
                    writer.flush();
                    return;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (IOException | RuntimeException e) {
                Logger.error(e, "The access log cannot be written");
                batch.clear();
            }
        }
    }

    private static LogEntry entry(String line) {
        return new LogEntry(RuntimeProvider.createTimestamp(), null, Map.of(), null, null, null, -1, null, Level.INFO, line, null);
    }

    /** Writes what is queued, then closes the file. */
    @Override
    public void close() {
        try {
            queue.put(STOP);
            thread.join(TimeUnit.SECONDS.toMillis(30));
            writer.close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException e) {
            Logger.error(e, "The access log cannot be closed");
        }
    }
}

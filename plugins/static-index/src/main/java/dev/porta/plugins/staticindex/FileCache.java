package dev.porta.plugins.staticindex;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Small files kept in memory, bounded in size. An entry is used only while the file's modification
 * time, size and identity (inode) are what they were when it was read — the caller checks them on every
 * request — so an edit on disk is seen at once. No lock is shared by requests.
 */
final class FileCache {

    /** What identifies one version of a file. */
    record Version(long modifiedNanos, long size, Object fileKey) {
    }

    private record Entry(Version version, byte[] bytes) {
    }

    private final long maxFileBytes;
    private final long maxTotalBytes;
    private final Map<Path, Entry> entries = new ConcurrentHashMap<>();
    private final AtomicLong total = new AtomicLong();

    FileCache(long maxFileBytes, long maxTotalBytes) {
        this.maxFileBytes = maxFileBytes;
        this.maxTotalBytes = maxTotalBytes;
    }

    /**
     * The bytes of {@code file} at {@code version}, from memory or read now; null when the file is too
     * large to keep or changed while being read (then the caller sends it from disk).
     */
    byte[] get(Path file, Version version) throws IOException {
        if (version.size() > maxFileBytes) return null;
        Entry e = entries.get(file);
        if (e != null && e.version.equals(version)) return e.bytes;
        byte[] bytes = Files.readAllBytes(file);
        if (bytes.length != version.size()) return null; // changed under us
        Entry fresh = new Entry(version, bytes);
        Entry old = entries.put(file, fresh);
        total.addAndGet(bytes.length - (old == null ? 0 : old.bytes.length));
        evictWhileOver(file);
        return bytes;
    }

    private void evictWhileOver(Path keep) {
        Iterator<Map.Entry<Path, Entry>> it = entries.entrySet().iterator();
        while (total.get() > maxTotalBytes && it.hasNext()) {
            Map.Entry<Path, Entry> e = it.next();
            if (Objects.equals(e.getKey(), keep)) continue;
            if (entries.remove(e.getKey(), e.getValue())) total.addAndGet(-e.getValue().bytes.length);
        }
    }
}

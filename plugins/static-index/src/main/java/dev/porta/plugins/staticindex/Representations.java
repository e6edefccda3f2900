package dev.porta.plugins.staticindex;

import dev.porta.spi.Headers;
import dev.porta.spi.http.EntityTag;
import dev.porta.spi.http.HttpDates;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What a file is sent as, worked out once per version of the file: its validators, its fixed headers,
 * and, for a small file, its bytes. An entry is used only while the file's modification time, size and
 * identity (inode) are what they were — the caller reads them on every request, or trusts them for
 * {@code static-index.cache.revalidate} while the content is in memory — so an edit on disk is seen within
 * that. Bounded in bytes and entries; no lock is shared by requests.
 */
final class Representations {

    private static final int MAX_ENTRIES = 20_000;

    /** What identifies one version of a file. */
    record Version(long modifiedNanos, long size, Object fileKey) {
        static Version of(BasicFileAttributes a) {
            return new Version(a.lastModifiedTime().to(TimeUnit.NANOSECONDS), a.size(), a.fileKey());
        }
    }

    /**
     * One file as sent under one name and encoding.
     *
     * @param version  the file version it was made from
     * @param etag     the strong validator
     * @param modified {@code Last-Modified}, whole seconds
     * @param headers  Content-Type, ETag, Last-Modified, Accept-Ranges, X-Content-Type-Options
     * @param bytes    the content when small enough to keep, else null (sent from disk)
     */
    record Representation(Version version, EntityTag etag, Instant modified, Headers headers, byte[] bytes) {
    }

    private record Key(Path file, String name, String encoding) {
    }

    private final long maxFileBytes;
    private final long maxTotalBytes;
    private final MediaTypes mediaTypes;
    private final Map<Key, Representation> entries = new ConcurrentHashMap<>();
    private final AtomicLong totalBytes = new AtomicLong();

    Representations(long maxFileBytes, long maxTotalBytes, MediaTypes mediaTypes) {
        this.maxFileBytes = maxFileBytes;
        this.maxTotalBytes = maxTotalBytes;
        this.mediaTypes = mediaTypes;
    }

    /**
     * The representation of {@code file} (whose attributes were just read) sent as {@code name}, in
     * {@code encoding} (null for none). {@code opened}: the file as opened now, whose content is read from
     * that channel (never by path, which could now name another file); null when it was not looked at now:
     * only one whose content is in memory, else null.
     */
    Representation get(Path file, BasicFileAttributes attrs, String name, String encoding, FileChannel opened) throws IOException {
        boolean keptOnly = opened == null;
        Key key = new Key(file, name, encoding);
        Version version = Version.of(attrs);
        Representation r = entries.get(key);
        if (r != null && r.version.equals(version) && (!keptOnly || r.bytes != null)) return r;
        if (keptOnly) return null;
        r = make(opened, attrs, version, name, encoding);
        Representation old = entries.put(key, r);
        long delta = (r.bytes == null ? 0 : r.bytes.length) - (old == null || old.bytes == null ? 0 : old.bytes.length);
        if (totalBytes.addAndGet(delta) > maxTotalBytes || entries.size() > MAX_ENTRIES) evict(key);
        return r;
    }

    private Representation make(FileChannel file, BasicFileAttributes attrs, Version version, String name, String encoding) throws IOException {
        long length = attrs.size();
        Instant modified = attrs.lastModifiedTime().toInstant().truncatedTo(ChronoUnit.SECONDS);
        EntityTag etag = EntityTag.strong(Long.toHexString(attrs.lastModifiedTime().toMillis()) + "-" + Long.toHexString(length)
                + (encoding == null ? "" : "-" + encoding));
        Headers headers = Headers.of("Content-Type", mediaTypes.of(name), "ETag", etag.toString(),
                "Last-Modified", HttpDates.format(modified), "Accept-Ranges", "bytes", "X-Content-Type-Options", "nosniff");
        byte[] bytes = null;
        if (length <= maxFileBytes) {
            bytes = readAll(file, (int) length); // null if it changed while being read: sent from disk this time
        }
        return new Representation(version, etag, modified, headers, bytes);
    }

    /** The {@code length} bytes of {@code file} from its start, or null if it holds more or fewer now. */
    private static byte[] readAll(FileChannel file, int length) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(length + 1);
        long position = 0;
        int n;
        while (buffer.hasRemaining() && (n = file.read(buffer, position)) >= 0) position += n;
        return buffer.position() == length ? java.util.Arrays.copyOf(buffer.array(), length) : null;
    }

    private void evict(Key keep) {
        Iterator<Map.Entry<Key, Representation>> it = entries.entrySet().iterator();
        while ((totalBytes.get() > maxTotalBytes || entries.size() > MAX_ENTRIES) && it.hasNext()) {
            Map.Entry<Key, Representation> e = it.next();
            if (e.getKey().equals(keep)) continue;
            if (entries.remove(e.getKey(), e.getValue()) && e.getValue().bytes != null) {
                totalBytes.addAndGet(-e.getValue().bytes.length);
            }
        }
    }
}

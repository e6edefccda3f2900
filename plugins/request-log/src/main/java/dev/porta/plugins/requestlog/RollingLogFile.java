package dev.porta.plugins.requestlog;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.tinylog.Logger;
import org.tinylog.TaggedLogger;

/**
 * The access-log files: {@code NAME.DATE.N.EXT} (N counts from 0 each day), a new one at midnight and/or
 * before a line would take the current one past the size limit, the newest {@code keep} old ones kept,
 * and {@code NAME.EXT} a hard link to the current one. At start the newest file is continued if it is
 * still today's (when rotating daily) and under the limit. Used by one thread at a time.
 */
final class RollingLogFile implements LineSink {

    /** Lines of this plugin's own, tagged with its id as the lines of context.logger() are. */
    private static final TaggedLogger LOG = Logger.tag("request-log");

    private static final int BUFFER_BYTES = 64 * 1024;

    private final Path link;
    private final Path folder;
    private final String base;
    private final String extension;
    private final Pattern names;
    private final boolean daily;
    private final long maxSize;
    private final int keep;
    private final Clock clock;
    private final ByteBuffer buffer = ByteBuffer.allocate(BUFFER_BYTES);
    private final Consumer<Path> logFile;

    private Path current;
    private LocalDate currentDate;
    private FileChannel channel;
    /** The bytes of the current file that are known good: a failed write is cut back to this. */
    private long size;

    /**
     * @param link    the path people read ({@code logs/access.log})
     * @param daily   rotate at midnight (of {@code clock}'s zone)
     * @param maxSize rotate before passing this size in bytes; 0 for no limit
     * @param keep    old files kept besides the current one
     */
    RollingLogFile(Path link, boolean daily, long maxSize, int keep, Clock clock) throws IOException {
        this(link, daily, maxSize, keep, clock, file -> { });
    }

    /**
     * The same, telling {@code logFile} of the link and of every log file, found or made, as it comes
     * (the plugin registers them as never to be served: a log may lie under the site folder).
     */
    RollingLogFile(Path link, boolean daily, long maxSize, int keep, Clock clock, Consumer<Path> logFile) throws IOException {
        this.logFile = logFile;
        this.link = link.toAbsolutePath();
        this.folder = this.link.getParent();
        String name = this.link.getFileName().toString();
        int dot = name.lastIndexOf('.');
        this.base = dot > 0 ? name.substring(0, dot) : name;
        this.extension = dot > 0 ? name.substring(dot) : "";
        this.names = Pattern.compile(Pattern.quote(base) + "\\.(\\d{4}-\\d{2}-\\d{2})\\.(\\d+)" + Pattern.quote(extension));
        this.daily = daily;
        this.maxSize = maxSize;
        this.keep = keep;
        this.clock = clock;
        Files.createDirectories(folder);
        logFile.accept(this.link);
        List<Rolled> existing = files();
        for (Rolled r : existing) logFile.accept(r.path);
        LocalDate today = LocalDate.now(clock);
        if (!existing.isEmpty()) {
            Rolled latest = existing.getLast();
            boolean sameDay = !daily || latest.date.equals(today);
            if (sameDay && (maxSize <= 0 || Files.size(latest.path) < maxSize)) {
                open(latest.path, latest.date);
                return;
            }
        }
        roll();
    }

    private record Rolled(Path path, LocalDate date, long n) {
    }

    /** The rotated files and the current one, oldest first. */
    private List<Rolled> files() throws IOException {
        List<Rolled> found = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(folder)) {
            for (Path p : entries) {
                Matcher m = names.matcher(p.getFileName().toString());
                if (m.matches() && Files.isRegularFile(p)) {
                    try {
                        found.add(new Rolled(p, LocalDate.parse(m.group(1)), Long.parseLong(m.group(2))));
                    } catch (RuntimeException notOurs) {
                        // a name that only looks like ours (an impossible date, a huge count)
                    }
                }
            }
        }
        found.sort(Comparator.comparing(Rolled::date).thenComparingLong(Rolled::n));
        return found;
    }

    /** The size of the current file in bytes. */
    long size() {
        return size;
    }

    /** Starts a new file now, as a size limit would (the next count of today), and drops the oldest beyond {@code keep}. */
    void roll() throws IOException {
        closeChannel();
        LocalDate today = LocalDate.now(clock);
        long n = 0;
        for (Rolled r : files()) {
            if (r.date.equals(today)) n = Math.max(n, r.n + 1);
        }
        open(folder.resolve(base + "." + today + "." + n + extension), today);
        List<Rolled> all = files();
        for (int i = 0; i < all.size() - keep - 1; i++) {
            if (!all.get(i).path.equals(current)) Files.deleteIfExists(all.get(i).path);
        }
    }

    private void open(Path file, LocalDate date) throws IOException {
        logFile.accept(file);
        channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
        current = file;
        currentDate = date;
        size = channel.size();
        linkToCurrent();
    }

    /** Points the link at the current file; made aside and renamed over, so readers never find it missing. */
    private void linkToCurrent() {
        Path next = folder.resolve("." + link.getFileName() + ".next");
        try {
            if (Files.exists(link) && Files.isSameFile(link, current)) return; // rename(2) would keep both names
            Files.deleteIfExists(next);
            Files.createLink(next, current);
            Files.move(next, link, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException | UnsupportedOperationException e) {
            LOG.warn("cannot link {} to {}: {}", link, current, e.toString());
        }
    }

    @Override
    public void write(List<String> lines) throws IOException {
        if (channel == null) reopen();
        if (daily && !LocalDate.now(clock).equals(currentDate)) roll();
        int done = 0; // lines in the buffer or written
        int written = 0; // lines on disk
        try {
            for (String line : lines) {
                // escaped lines are ASCII (but for a format's own literal text): copied as they are, no bytes made
                boolean ascii = isAscii(line);
                byte[] bytes = ascii ? null : (line + '\n').getBytes(StandardCharsets.UTF_8);
                int length = ascii ? line.length() + 1 : bytes.length;
                long after = size + buffer.position() + length;
                if (maxSize > 0 && after > maxSize && size + buffer.position() > 0) {
                    flushBuffer();
                    written = done;
                    roll();
                }
                if (length > buffer.remaining()) {
                    flushBuffer();
                    written = done;
                }
                if (length > buffer.capacity()) {
                    writeFully(ByteBuffer.wrap(ascii ? (line + '\n').getBytes(StandardCharsets.US_ASCII) : bytes));
                } else if (ascii) {
                    putAscii(line);
                } else {
                    buffer.put(bytes);
                }
                done++;
            }
            flushBuffer();
            written = done;
        } catch (IOException | RuntimeException e) {
            buffer.clear();
            closeChannel(); // reopened and cut back to the last good size by the next write
            throw e;
        } finally {
            lines.subList(0, written).clear();
        }
    }

    private static boolean isAscii(String line) {
        for (int i = 0, n = line.length(); i < n; i++) {
            if (line.charAt(i) >= 0x80) return false;
        }
        return true;
    }

    /** {@code line}, all ASCII, and a line end into the buffer, which has room. */
    @SuppressWarnings("deprecation")
    private void putAscii(String line) {
        int at = buffer.position();
        line.getBytes(0, line.length(), buffer.array(), buffer.arrayOffset() + at); // the exact bytes of ASCII text
        buffer.array()[buffer.arrayOffset() + at + line.length()] = '\n';
        buffer.position(at + line.length() + 1);
    }

    private void flushBuffer() throws IOException {
        buffer.flip();
        writeFully(buffer);
        buffer.clear();
    }

    private void writeFully(ByteBuffer bytes) throws IOException {
        int length = bytes.remaining();
        while (bytes.hasRemaining()) channel.write(bytes);
        size += length;
    }

    /** After a failed write: the current file again, without the part of a batch that may have reached it. */
    private void reopen() throws IOException {
        FileChannel c = FileChannel.open(current, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
        try {
            if (c.size() > size) c.truncate(size);
            size = c.size();
        } catch (IOException e) {
            c.close();
            throw e;
        }
        channel = c;
    }

    private void closeChannel() {
        if (channel == null) return;
        try {
            channel.close();
        } catch (IOException ignored) {
            // a failed close loses nothing the writes did not already report
        }
        channel = null;
    }

    @Override
    public void close() throws IOException {
        if (channel != null) channel.close();
        channel = null;
    }
}

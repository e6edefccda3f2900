package dev.porta.server.control;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * {@code porta.pid} in the data folder: the running Porta's process id, locked for as long as it runs.
 * The lock, not the file's presence, says whether a Porta runs: a file left by a killed Porta is not
 * locked, and its number may name any process by now. A second Porta on the same data folder finds the
 * lock taken and refuses to start.
 */
public final class PidFile implements AutoCloseable {

    /** The file's name in the data folder. */
    public static final String NAME = "porta.pid";

    private final Path file;
    private final FileChannel channel;
    private final FileLock lock;

    private PidFile(Path file, FileChannel channel, FileLock lock) {
        this.file = file;
        this.channel = channel;
        this.lock = lock;
    }

    /** Thrown when another process holds the PID file's lock. */
    public static final class HeldElsewhere extends Exception {
        private static final long serialVersionUID = 1L;

        HeldElsewhere(String message) {
            super(message);
        }
    }

    /**
     * Takes the PID file of {@code dataDir} (creating the folder) for this process and writes its id.
     *
     * @throws HeldElsewhere when another Porta holds it, with a message that names it
     */
    public static PidFile claim(Path dataDir) throws IOException, HeldElsewhere {
        Files.createDirectories(dataDir);
        Path file = dataDir.resolve(NAME);
        // never through a link: a link planted here would have Porta overwrite (and at its stop delete) its target
        refuseOtherThanRegularFile(file);
        FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE,
                LinkOption.NOFOLLOW_LINKS);
        FileLock lock;
        try {
            lock = channel.tryLock();
        } catch (OverlappingFileLockException e) {
            lock = null; // this JVM holds it already
        }
        if (lock == null) {
            String pid = read(channel).map(String::valueOf).orElse("unknown");
            channel.close();
            throw new HeldElsewhere("another Porta (PID " + pid + ") is running with the data folder " + dataDir.toAbsolutePath()
                    + " (" + file + " is locked); stop it first, or give this one a data folder of its own (server.data-dir)");
        }
        // what was opened is a regular file (not a link: O_NOFOLLOW), checked again before it is truncated
        refuseOtherThanRegularFile(file);
        channel.truncate(0);
        channel.write(ByteBuffer.wrap((ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.US_ASCII)), 0);
        channel.force(false);
        return new PidFile(file, channel, lock);
    }

    /**
     * Refuses {@code file} when it exists and is anything but a regular file of its own (a symbolic link, a
     * folder, a device, a pipe), with a one-line message that names it.
     */
    private static void refuseOtherThanRegularFile(Path file) throws NotOwnFile {
        if (Files.isSymbolicLink(file)) {
            throw new NotOwnFile(file + " is a symbolic link; Porta writes its PID file only as a regular file of its own:"
                    + " remove the link");
        }
        if (Files.exists(file, LinkOption.NOFOLLOW_LINKS) && !Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
            throw new NotOwnFile(file + " is not a regular file; Porta writes its PID file only as a regular file of its own:"
                    + " remove it");
        }
        try {
            // a hard link shares its target's contents: truncating it would overwrite another file too
            if (Files.exists(file, LinkOption.NOFOLLOW_LINKS) && ((Number) Files.getAttribute(file, "unix:nlink", LinkOption.NOFOLLOW_LINKS)).intValue() > 1) {
                throw new NotOwnFile(file + " has other hard links; Porta writes its PID file only as a regular file of its own:"
                        + " remove it");
            }
        } catch (UnsupportedOperationException | IllegalArgumentException | IOException e) {
            if (e instanceof NotOwnFile refused) throw refused;
            // no link count on this file system: the checks above stand
        }
    }

    /** Thrown when the PID file's path holds something that is not a regular file of Porta's own. */
    public static final class NotOwnFile extends IOException {
        private static final long serialVersionUID = 1L;

        NotOwnFile(String message) {
            super(message);
        }
    }

    /**
     * The id of the Porta running with {@code dataDir}: present only when its PID file is locked by a
     * running process (an unlocked file is stale, whatever number it holds).
     */
    public static OptionalLong running(Path dataDir) throws IOException {
        Path file = dataDir.resolve(NAME);
        if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) return OptionalLong.empty();
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS)) {
            FileLock probe;
            try {
                probe = channel.tryLock(0, Long.MAX_VALUE, true);
            } catch (OverlappingFileLockException e) {
                probe = null; // held in this JVM
            }
            if (probe != null) {
                probe.release();
                return OptionalLong.empty(); // nobody holds it: stale
            }
            Optional<Long> pid = read(channel);
            return pid.isPresent() ? OptionalLong.of(pid.get()) : OptionalLong.empty();
        }
    }

    private static Optional<Long> read(FileChannel channel) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(32);
        channel.read(buffer, 0);
        String text = new String(buffer.array(), 0, buffer.position(), StandardCharsets.US_ASCII).strip();
        try {
            return Optional.of(Long.parseLong(text));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    /** The file. */
    public Path file() {
        return file;
    }

    /** Deletes the file and gives up the lock (at the end of a graceful stop). */
    @Override
    public void close() {
        try {
            // only our own regular file: whatever was put in its place meanwhile (a link, a folder) stays
            if (Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) Files.deleteIfExists(file);
            lock.release();
            channel.close();
        } catch (IOException e) {
            // the process is ending: the lock goes with it
        }
    }
}

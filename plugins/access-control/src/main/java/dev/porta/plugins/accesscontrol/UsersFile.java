package dev.porta.plugins.accesscontrol;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.ReentrantLock;
import org.tinylog.TaggedLogger;

/**
 * A users file kept up to date: at most once a second a request checks whether the file changed on disk
 * (time, size, inode) and reads it again. A broken new version is logged and the old one stays in force.
 */
final class UsersFile {

    private record Loaded(HtpasswdFile content, Object version, long generation) {
    }

    private static final long CHECK_EVERY_NANOS = 1_000_000_000L;

    private final Path path;
    private final TaggedLogger log;
    private final AtomicReference<Loaded> loaded = new AtomicReference<>();
    private final ReentrantLock reloading = new ReentrantLock();
    private volatile long nextCheck;

    /** Reads {@code path} now; a problem is an exception whose message names file and line. */
    UsersFile(Path path, TaggedLogger log) throws IOException {
        this.path = path;
        this.log = log;
        Object version = version(path);
        HtpasswdFile content = HtpasswdFile.read(path);
        warnWeak(content);
        loaded.set(new Loaded(content, version, 0));
        nextCheck = System.nanoTime() + CHECK_EVERY_NANOS;
    }

    Path path() {
        return path;
    }

    /** The hash of {@code user}, or null. */
    PasswordHash hashOf(String user) {
        return current().content.users().get(user);
    }

    /** Some user's hash, to spend on an unknown user the time a known one costs; null if there are none. */
    PasswordHash anyHash() {
        var users = current().content.users();
        return users.isEmpty() ? null : users.values().iterator().next();
    }

    /** Changes each time the file is read again: verified credentials are forgotten then. */
    long generation() {
        return current().generation;
    }

    int size() {
        return current().content.users().size();
    }

    private Loaded current() {
        long now = System.nanoTime();
        if (now - nextCheck >= 0 && reloading.tryLock()) {
            try {
                nextCheck = now + CHECK_EVERY_NANOS;
                reloadIfChanged();
            } finally {
                reloading.unlock();
            }
        }
        return loaded.get();
    }

    private void reloadIfChanged() {
        Loaded old = loaded.get();
        Object version;
        try {
            version = version(path);
        } catch (IOException e) {
            log.error("Users file {} cannot be read ({}); the users loaded before stay in force", path, e.getMessage());
            return;
        }
        if (Objects.equals(version, old.version)) return;
        try {
            HtpasswdFile content = HtpasswdFile.read(path);
            warnWeak(content);
            loaded.set(new Loaded(content, version, old.generation + 1));
            log.info("Users file {} read again: {} user(s)", path, content.users().size());
        } catch (IOException | IllegalArgumentException e) {
            log.error("Users file {} changed but is not valid, the users loaded before stay in force: {}", path, e.getMessage());
            loaded.set(new Loaded(old.content, version, old.generation)); // do not retry until it changes again
        }
    }

    private void warnWeak(HtpasswdFile content) {
        if (!content.weak().isEmpty()) {
            log.warn("Users file {}: {} use a weak hash ($apr1$ or {SHA}); set new passwords with './porta users add' (bcrypt)",
                    content.file(), String.join(", ", content.weak()));
        }
    }

    private static Object version(Path path) throws IOException {
        BasicFileAttributes a = Files.readAttributes(path, BasicFileAttributes.class);
        return java.util.List.of(a.lastModifiedTime(), a.size(), String.valueOf(a.fileKey()));
    }
}

package dev.porta.plugins.staticindex;

import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Lookups of files trusted for a short while ({@code static-index.cache.revalidate}, as nginx's
 * {@code open_file_cache_valid}), so that a hit costs no system call: a {@code statx} per request cost
 * about an eighth of the server's CPU on small files. Two kinds are kept:
 * <ul>
 * <li>a file whose content is sent from memory, found with no link on the way: what is sent within the
 *     interval are bytes read from a file that was checked, so a file swapped meanwhile for a link that
 *     leaves the root, or newly registered as never served (checked on every hit anyway), can never be
 *     sent; a file sent from disk is opened by name, so it is looked up on every request instead;</li>
 * <li>a file that is not there (the {@code .br}/{@code .gz} variants most files lack): refusing is safe;</li>
 * <li>a script, found with no link on the way: it is never sent, only passed to the plugin that runs it,
 *     which looks it up again itself (a PHP request cost three {@code statx}, one of them here).</li>
 * </ul>
 * An edit, a new variant or a deleted file is seen within the interval. Bounded: at {@link #MAX_ENTRIES}
 * the whole table is dropped, and refilled by the next lookups.
 */
final class FreshFiles {

    static final int MAX_ENTRIES = 20_000;

    /**
     * One lookup.
     *
     * @param attrs        the file's attributes then; null when it was not there
     * @param checkedNanos when it was looked up ({@link System#nanoTime()})
     */
    record Lookup(BasicFileAttributes attrs, long checkedNanos) {

        boolean exists() {
            return attrs != null;
        }
    }

    private final long validNanos;
    private final Map<Path, Lookup> lookups = new ConcurrentHashMap<>();

    /** Lookups trusted for {@code validNanos}; 0 trusts none (every request looks at the disk). */
    FreshFiles(long validNanos) {
        this.validNanos = validNanos;
    }

    /** The lookup of {@code file} if one younger than the interval is kept, else null. */
    Lookup get(Path file) {
        if (validNanos == 0) return null;
        Lookup l = lookups.get(file);
        if (l == null) return null;
        if (System.nanoTime() - l.checkedNanos >= validNanos) {
            lookups.remove(file, l);
            return null;
        }
        return l;
    }

    /** {@code file} (a real path, below the root, reached through no link) was just looked up, and its content is in memory. */
    void inMemory(Path file, BasicFileAttributes attrs) {
        put(file, new Lookup(attrs, System.nanoTime()));
    }

    /** {@code file} (a real path, below the root, reached through no link) is a script, just looked up. */
    void script(Path file, BasicFileAttributes attrs) {
        put(file, new Lookup(attrs, System.nanoTime()));
    }

    /** {@code file} was just found not to exist. */
    void missing(Path file) {
        put(file, new Lookup(null, System.nanoTime()));
    }

    /** Forgets {@code file}: its content left memory, or it is to be looked at again. */
    void forget(Path file) {
        lookups.remove(file);
    }

    private void put(Path file, Lookup lookup) {
        if (validNanos == 0) return;
        if (lookups.size() >= MAX_ENTRIES) lookups.clear();
        lookups.put(file, lookup);
    }
}

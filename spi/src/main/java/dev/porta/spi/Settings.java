package dev.porta.spi;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * A plugin's own settings: the keys of the config file that start with its plugin id and a dot, with that
 * prefix removed ({@code static-index.autoindex = on} is {@code autoindex} here). Immutable.
 *
 * <p>Every typed getter throws a {@link ConfigException} naming file and line when the value is bad. Read
 * every key in {@link Lifecycle#start}: a key that nothing read is reported as unknown and stops Porta, so
 * a misspelt setting never goes unnoticed.
 */
public interface Settings {

    /** The value of {@code key}, if the config sets it. */
    Optional<String> get(String key);

    /** The value of {@code key}, or {@code fallback}. */
    default String get(String key, String fallback) {
        return get(key).orElse(fallback);
    }

    /** An integer value. */
    int getInt(String key, int fallback);

    /** A size in bytes; accepts a plain number or a suffix {@code k}, {@code m}, {@code g} (powers of 1024). */
    long getBytes(String key, long fallback);

    /** {@code on}/{@code off}, {@code true}/{@code false}, {@code yes}/{@code no}. */
    boolean getBoolean(String key, boolean fallback);

    /** A duration: a number with {@code ms}, {@code s}, {@code m}, {@code h} or {@code d}, e.g. {@code 30s}. */
    Duration getDuration(String key, Duration fallback);

    /** A comma-separated list, each item trimmed, empty items dropped; empty if the key is not set. */
    List<String> getList(String key);

    /**
     * A path, absolute: a relative one is taken against Porta's home, the folder that holds {@code conf/}
     * (the repository, or the unpacked release) — not against the directory Porta was started from, so
     * that a config file means the same wherever the command is run. (Paths on the command line, by
     * contrast, are taken against the directory the user ran the command from.)
     */
    Optional<Path> getPath(String key);

    /** Every key this plugin has in the config, without the prefix (reading this marks nothing as read). */
    Set<String> keys();

    /**
     * An exception for a bad value of {@code key}, whose message is {@code FILE:LINE: prefix.key: problem}.
     * Also marks the key as read.
     */
    ConfigException invalid(String key, String problem);
}

package dev.porta.server.config;

import dev.porta.spi.ConfigException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * The problems found while reading a config, collected so that every bad line is named at once rather than
 * the first only. Thrown together as one {@link ConfigException} whose message has one problem per line.
 */
final class ConfigProblems {

    private final List<String> found = new ArrayList<>();

    /** {@code read}'s value, or {@code fallback} after noting why it failed. */
    <T> T take(Supplier<T> read, T fallback) {
        try {
            return read.get();
        } catch (ConfigException e) {
            add(e);
            return fallback;
        }
    }

    /** Runs {@code check}, noting why it failed. */
    void run(Runnable check) {
        take(() -> {
            check.run();
            return null;
        }, null);
    }

    void add(ConfigException e) {
        found.add(e.getMessage());
    }

    /** The problems noted, in order, each a message's lines. */
    List<String> found() {
        return found.stream().flatMap(String::lines).toList();
    }

    /** Throws every problem noted, one per line, if there is any. */
    void throwIfAny() {
        if (!found.isEmpty()) throw new ConfigException(String.join("\n", found));
    }
}

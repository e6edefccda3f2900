package dev.porta.server.plugin;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** The files no handler may send (config, users files), compared by real path. Shared by all plugins. */
public final class NeverServedFiles {

    private final Set<Path> files = ConcurrentHashMap.newKeySet();

    /** Adds {@code file}. */
    public void add(Path file) {
        files.add(canonical(file));
    }

    /** Whether {@code file} was added. */
    public boolean contains(Path file) {
        return !files.isEmpty() && files.contains(canonical(file));
    }

    private static Path canonical(Path file) {
        try {
            return file.toRealPath();
        } catch (IOException e) {
            return file.toAbsolutePath().normalize();
        }
    }
}

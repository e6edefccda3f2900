package dev.porta.server.plugin;

import dev.porta.server.config.ServerConfig;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.tinylog.Logger;

/**
 * The files no handler may send (config, users files) and the folders none may send from (the server's
 * log and data folders). Each is turned into its real path once, when registered, so that a lookup is a
 * comparison with no system call: handlers look up the real path they already resolved. Shared by all
 * plugins.
 */
public final class NeverServedFiles {

    private final Set<Path> files = ConcurrentHashMap.newKeySet();
    private final List<Path> folders = new CopyOnWriteArrayList<>();

    /**
     * The set for a server: its log, data and plugins folders, each unless it holds the site folder (hiding
     * it would hide the whole site, and what the server writes there is then outside the site anyway).
     */
    public static NeverServedFiles forServer(ServerConfig config) {
        NeverServedFiles neverServed = new NeverServedFiles();
        neverServed.addServerFolder("server.log-dir", config.logDir(), config.root());
        neverServed.addServerFolder("server.data-dir", config.dataDir(), config.root());
        neverServed.addServerFolder("server.plugins", config.plugins(), config.root());
        return neverServed;
    }

    /** Adds a folder of the server's own ({@code what} names it in the warning), unless it holds {@code root}. */
    public void addServerFolder(String key, Path folder, Path root) {
        Path real = realPath(folder);
        if (realPath(root).startsWith(real)) {
            Logger.warn("{} {} holds the site folder {}: it is not hidden from the site", key, real, root);
        } else {
            folders.add(real);
        }
    }

    /** Adds {@code file}. */
    public void add(Path file) {
        files.add(realPath(file));
    }

    /** Adds {@code folder}, and so everything below it; it may not exist yet. */
    public void addFolder(Path folder) {
        folders.add(realPath(folder));
    }

    /** Whether {@code real}, a real path, is an added file, or an added folder or below one. */
    public boolean contains(Path real) {
        if (files.contains(real)) return true;
        for (Path folder : folders) {
            if (real.startsWith(folder)) return true;
        }
        return false;
    }

    /**
     * The real path of {@code path}. For a path that does not exist yet, the real path of its nearest
     * existing ancestor with the rest appended, so that a folder created later (the log folder, say)
     * still compares equal to the real paths found in it.
     */
    static Path realPath(Path path) {
        Path absolute = path.toAbsolutePath().normalize();
        for (Path existing = absolute; existing != null; existing = existing.getParent()) {
            try {
                return existing.toRealPath().resolve(existing.relativize(absolute));
            } catch (IOException e) {
                // not there (yet), or not readable: try its parent
            }
        }
        return absolute;
    }
}

package dev.porta.server.deploy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.stream.Stream;
import java.util.zip.ZipFile;
import org.tinylog.Logger;

/**
 * Looks at the plugins folder a few times a second and reports its jars once they have settled: a jar
 * counts when its size, time and identity have not changed for the settle time (a second) and its zip
 * central directory reads, so that a jar still being copied in is never loaded. It reports only when
 * every jar in the folder has settled and the settled set differs from the one reported last.
 */
public final class PluginFolderWatcher implements AutoCloseable {

    private final Path folder;
    private final Consumer<Map<Path, JarStamp>> onChange;
    private final long settleNanos;
    private final long pollMillis;
    private final Map<Path, JarStamp> seen = new HashMap<>();
    private final Map<Path, Long> stableSince = new HashMap<>();
    private final Map<Path, JarStamp> unreadable = new HashMap<>();
    private Map<Path, JarStamp> reported;
    private final Thread thread;
    private volatile boolean closed;
    /** Set by {@link #lookAgain}: the next settled look reports even an unchanged folder. */
    private volatile boolean again;

    /**
     * Watches {@code folder}, whose jars as they are now ({@code current}) are taken as reported; calls
     * {@code onChange} on its own thread.
     */
    public PluginFolderWatcher(Path folder, Consumer<Map<Path, JarStamp>> onChange, Duration settle, Duration poll) {
        this.folder = folder;
        this.onChange = onChange;
        this.settleNanos = settle.toNanos();
        this.pollMillis = Math.max(10, poll.toMillis());
        this.reported = readable(stamps());
        this.thread = Thread.ofPlatform().daemon().name("porta-plugin-watch").start(this::run);
        Logger.info("Watching {} for plugin jars added, replaced or removed (server.plugins.watch)", folder);
    }

    private void run() {
        while (!closed) {
            try {
                Thread.sleep(pollMillis);
            } catch (InterruptedException e) {
                return;
            }
            try {
                look();
            } catch (RuntimeException | LinkageError e) {
                Logger.error(e, "Looking at the plugins folder failed");
            }
        }
    }

    /** One look at the folder: reports the settled jars when all have settled and they changed. */
    void look() {
        Map<Path, JarStamp> now = stamps();
        long time = System.nanoTime();
        for (Map.Entry<Path, JarStamp> e : now.entrySet()) {
            if (!e.getValue().equals(seen.get(e.getKey()))) stableSince.put(e.getKey(), time);
        }
        seen.clear();
        seen.putAll(now);
        stableSince.keySet().retainAll(now.keySet());
        unreadable.keySet().retainAll(now.keySet());
        for (Map.Entry<Path, JarStamp> e : now.entrySet()) {
            if (time - stableSince.get(e.getKey()) < settleNanos) return; // still being written: wait for it
        }
        Map<Path, JarStamp> settled = readable(now);
        if (settled.equals(reported) && !again) return;
        again = false;
        reported = settled;
        if (!closed) onChange.accept(settled);
    }

    /** Of {@code jars}, those whose zip central directory reads; each other one is logged once per version. */
    private Map<Path, JarStamp> readable(Map<Path, JarStamp> jars) {
        Map<Path, JarStamp> ok = new LinkedHashMap<>();
        for (Map.Entry<Path, JarStamp> e : jars.entrySet()) {
            try (ZipFile zip = new ZipFile(e.getKey().toFile())) {
                zip.size();
                ok.put(e.getKey(), e.getValue());
            } catch (IOException | RuntimeException bad) {
                if (!e.getValue().equals(unreadable.put(e.getKey(), e.getValue()))) {
                    Logger.error("{} in the plugins folder is not a readable jar ({}): not loaded; copy a jar to a temporary"
                            + " name and rename it into the folder", e.getKey().getFileName(), bad.getMessage());
                }
            }
        }
        return ok;
    }

    /** The {@code *.jar} files of the folder and their stamps. */
    private Map<Path, JarStamp> stamps() {
        Map<Path, JarStamp> stamps = new LinkedHashMap<>();
        if (!Files.isDirectory(folder)) return stamps;
        try (Stream<Path> files = Files.list(folder)) {
            for (Path p : files.filter(f -> f.getFileName().toString().endsWith(".jar")).sorted().toList()) {
                Optional<JarStamp> stamp = JarStamp.of(p);
                stamp.ifPresent(s -> stamps.put(p, s));
            }
        } catch (IOException e) {
            Logger.warn("Plugin folder {} cannot be read: {}", folder, e.getMessage());
            return new LinkedHashMap<>(seen); // as it was: a passing error must not unload every plugin
        }
        return stamps;
    }

    /**
     * Reports the folder once more at the next look, changed or not: after a reload, a change refused
     * before (a removal while the config had the plugin's settings) may be allowed now.
     */
    public void lookAgain() {
        again = true;
    }

    @Override
    public void close() {
        closed = true;
        thread.interrupt();
        try {
            thread.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

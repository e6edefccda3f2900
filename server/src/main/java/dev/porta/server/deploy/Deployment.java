package dev.porta.server.deploy;

import dev.porta.server.Porta;
import dev.porta.server.config.ConfigFile;
import dev.porta.server.config.ConfigSettings;
import dev.porta.server.config.ServerConfig;
import dev.porta.server.pipeline.ActivePipeline;
import dev.porta.server.plugin.ExtensionCheck;
import dev.porta.server.plugin.HostContext;
import dev.porta.server.plugin.LoadedExtension;
import dev.porta.server.plugin.NeverServedFiles;
import dev.porta.server.plugin.PluginHost;
import dev.porta.server.plugin.PluginSet;
import dev.porta.spi.ConfigException;
import dev.porta.spi.ExchangeObserver;
import dev.porta.spi.Lifecycle;
import dev.porta.spi.ServerState;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;
import org.tinylog.Logger;

/**
 * The running generation and how it is replaced: one change at a time (callers hold this object's
 * monitor while they build the next generation), new exchanges on the new pipeline at once, and the old
 * generation's own plugins stopped and unloaded on a thread of their own after its last exchange, or after
 * the grace time ({@code timeouts.grace}).
 */
public final class Deployment implements AutoCloseable {

    private final ActivePipeline active;
    private final NeverServedFiles neverServed;
    private final ExchangeObserver recorder;
    private final Supplier<ServerState> state;
    private final List<Thread> retiring = new CopyOnWriteArrayList<>();
    private volatile Generation current;
    private final AtomicLong copies = new AtomicLong();
    private boolean closed;

    /**
     * Runs {@code first}, whose pipeline {@code active} holds; {@code recorder} (may be null) sees every
     * exchange first in each generation; {@code state} is the server's, for plugins started later.
     */
    public Deployment(ActivePipeline active, Generation first, NeverServedFiles neverServed, ExchangeObserver recorder,
                      Supplier<ServerState> state) {
        this.active = active;
        this.current = first;
        this.neverServed = neverServed;
        this.recorder = recorder;
        this.state = state;
        clearCopies(first.config());
    }

    /** The generation serving new exchanges. */
    public Generation current() {
        return current;
    }

    /** The files never served, shared by every generation. */
    NeverServedFiles neverServed() {
        return neverServed;
    }

    /** The next generation over {@code plugins}; a {@code ConfigException} when the chain does not fit them. */
    Generation next(ConfigFile file, ServerConfig config, Map<String, RunningPlugin> plugins) {
        return Generation.build(current.number() + 1, file, config, plugins, recorder, neverServed);
    }

    /**
     * Loads plugin jar {@code jar} with a PF4J manager of its own and starts it with its settings from
     * {@code file}, failing closed: a jar that is refused, does not load, has a handler that
     * {@code server.chain} does not name, finds its settings bad, fails to start or leaves a key unread is
     * left out (unloaded) with one log line that says why. Nothing serves on it until it is installed.
     */
    Optional<RunningPlugin> startJar(Path jar, ConfigFile file, ServerConfig config) {
        Optional<JarStamp> stamp = JarStamp.of(jar);
        Path copy;
        try {
            copy = copyOf(jar, config);
        } catch (IOException e) {
            Logger.error("Plugin jar {} is left out: it cannot be copied into {} ({})", jar.getFileName(), deployFolder(config), e.toString());
            return Optional.empty();
        }
        PluginHost host = PluginHost.loadJar(copy);
        if (host.pluginIds().isEmpty()) {
            host.close();
            deleteCopy(copy);
            Logger.error("Plugin jar {} is left out (see the line above for why); the running plugins keep serving", jar.getFileName());
            return Optional.empty();
        }
        String id = host.pluginIds().get(0);
        String name = id + " " + host.versions().get(id) + " (" + jar.getFileName() + ")";
        if (!config.chain().isEmpty() && !host.handlers().isEmpty() && !config.chain().contains(id)) {
            host.unload(id);
            host.close();
            deleteCopy(copy);
            Logger.error("Plugin {} has a handler, and server.chain ({}) does not name it: it is not placed in the chain and"
                    + " is left out; add {} to server.chain where it belongs and reload", name, where(file, "server.chain"), id);
            return Optional.empty();
        }
        if (!host.certificateProviders().isEmpty()) {
            // the HTTPS listener asks the providers it started with: a new, replaced or restarted one would not be asked
            host.unload(id);
            host.close();
            deleteCopy(copy);
            Logger.error("Plugin {} provides HTTPS certificates: loading, replacing or restarting it while Porta runs is not"
                    + " supported; it is left out (what runs keeps running): restart Porta to apply it", name);
            return Optional.empty();
        }
        List<String> problems = ExtensionCheck.run(host.extensions(), file, config);
        if (!problems.isEmpty()) {
            host.unload(id);
            host.close();
            deleteCopy(copy);
            Logger.error("Plugin {} is left out: {}", name, String.join("; ", problems));
            return Optional.empty();
        }
        HostContext context = new HostContext(id, new ConfigSettings(file, id), config, neverServed, state);
        List<Lifecycle> started = new ArrayList<>();
        try {
            for (LoadedExtension<Lifecycle> ext : host.extensions()) {
                ext.instance().start(context);
                started.add(ext.instance());
            }
            context.configSettings().rejectUnread();
        } catch (Exception | LinkageError e) {
            Porta.stopExtensions(started);
            host.unload(id);
            host.close();
            deleteCopy(copy);
            Logger.error("Plugin {} failed to start and is left out: {}", name, e instanceof ConfigException ? e.getMessage() : e.toString());
            return Optional.empty();
        }
        return Optional.of(new RunningPlugin(id, host.versions().get(id), Optional.of(jar), stamp, host, host.handlers(),
                host.observers(), host.connectionObservers(), started, context, Optional.of(copy)));
    }

    /** Where hot-deployed jars are copied to: a folder of the server's own in the data folder (never a plugin id). */
    private static Path deployFolder(ServerConfig config) {
        return config.dataDir().resolve(".porta-deploy");
    }

    /**
     * A private copy of {@code jar}, in a folder of its own under the same file name, that PF4J loads
     * instead of the jar in the plugins folder. The JDK caches open jar files by URL: a new jar under the
     * name of a loaded one would be read through the old one's cached file (its {@code extensions.idx},
     * its resources), and closing either loader would close the other's. A copy per generation has a URL
     * of its own, and the plugins folder may be changed freely meanwhile.
     */
    private Path copyOf(Path jar, ServerConfig config) throws IOException {
        Path folder = Files.createDirectories(deployFolder(config)).resolve(Long.toString(copies.incrementAndGet()));
        Files.createDirectories(folder);
        return Files.copy(jar, folder.resolve(jar.getFileName()), StandardCopyOption.REPLACE_EXISTING);
    }

    /** Deletes a copy made by {@link #copyOf} and its folder (after its plugin was unloaded). */
    static void deleteCopy(Path copy) {
        try {
            Files.deleteIfExists(copy);
            Files.deleteIfExists(copy.getParent());
        } catch (IOException e) {
            Logger.debug("Could not delete {}: {}", copy, e.getMessage());
        }
    }

    /** Deletes the copies a Porta that ended without unloading left behind (a crash, a kill). */
    private static void clearCopies(ServerConfig config) {
        Path folder = deployFolder(config);
        if (!Files.isDirectory(folder)) return;
        try (Stream<Path> all = Files.walk(folder)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                if (!p.equals(folder)) Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            Logger.warn("Could not clear {}: {}", folder, e.getMessage());
        }
    }

    /**
     * Makes {@code next} serve new exchanges and logs {@code what} with the chain after it; the plugins of
     * the generation it replaces that {@code next} does not share are stopped and unloaded once that
     * generation's last exchange has ended (or the grace time is over).
     */
    synchronized void install(Generation next, String what) {
        if (closed) throw new IllegalStateException("Porta is stopping");
        Generation old = current;
        List<String> chain = next.chain();
        for (RunningPlugin p : next.plugins().values()) p.context().describeServer(next.versions(), chain);
        current = next;
        active.replace(next.pipeline());
        Logger.info("{}; chain now: {}", what, next.chainText());
        Set<RunningPlugin> kept = Collections.newSetFromMap(new IdentityHashMap<>());
        kept.addAll(next.plugins().values());
        List<RunningPlugin> leaving = old.plugins().values().stream().filter(p -> !kept.contains(p)).toList();
        long grace = old.config().timeouts().grace().toNanos();
        Thread retire = Thread.ofPlatform().daemon().name("porta-retire-" + old.number()).unstarted(() -> retire(old, leaving, grace));
        retiring.add(retire);
        retire.start();
    }

    private void retire(Generation old, List<RunningPlugin> leaving, long graceNanos) {
        try {
            if (!old.pipeline().awaitIdle(graceNanos)) {
                Logger.warn("{} exchange(s) still run on the replaced chain after the grace time: its plugins are stopped anyway",
                        old.pipeline().inFlight());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        old.pipeline().close();
        for (RunningPlugin p : leaving) {
            p.stopAndUnload();
            Logger.info("Plugin {} stopped and unloaded after the last exchange on its chain", p.describe());
        }
        retiring.remove(Thread.currentThread());
    }

    /**
     * Waits for the replaced generations to be retired, then stops the running plugins' extensions (last
     * started first) and unloads their plugin sets. After {@code Server.stop}.
     */
    @Override
    public void close() {
        synchronized (this) {
            closed = true;
        }
        for (Thread t : List.copyOf(retiring)) {
            try {
                t.join(current.config().timeouts().grace().toMillis() + Porta.STOP_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        List<Lifecycle> started = new ArrayList<>();
        Set<PluginSet> owners = Collections.newSetFromMap(new IdentityHashMap<>());
        List<PluginSet> ownerOrder = new ArrayList<>();
        for (RunningPlugin p : current.plugins().values()) {
            started.addAll(p.started());
            if (owners.add(p.owner())) ownerOrder.add(p.owner());
        }
        Porta.stopExtensions(started);
        for (PluginSet owner : ownerOrder.reversed()) owner.close();
        for (RunningPlugin p : current.plugins().values()) p.copy().ifPresent(Deployment::deleteCopy);
    }

    private static String where(ConfigFile file, String key) {
        ConfigFile.Entry e = file.entries().get(key);
        return e == null ? file.source() : file.where(e);
    }
}

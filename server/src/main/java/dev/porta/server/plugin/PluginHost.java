package dev.porta.server.plugin;

import dev.porta.spi.CertificateProvider;
import dev.porta.spi.ConnectionObserver;
import dev.porta.spi.ExchangeObserver;
import dev.porta.spi.Handler;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.pf4j.DefaultVersionManager;
import org.pf4j.Extension;
import org.pf4j.ExtensionFactory;
import org.pf4j.JarPluginManager;
import org.pf4j.PluginManager;
import org.pf4j.PluginState;
import org.pf4j.PluginWrapper;
import org.pf4j.SingletonExtensionFactory;
import org.tinylog.Logger;

/**
 * Loads the plugin jars of one folder with PF4J and hands out their extensions, each created once. Only
 * {@code *.jar} files count (PF4J's default repository would take folders and expand zips). A jar made
 * for another SPI version, or one that carries the SPI's or PF4J's classes, is refused before PF4J sees
 * it ({@link PluginJarInspection}). A plugin that fails to load or start is reported and left out; the
 * others run. PF4J types stay in here.
 */
public final class PluginHost extends ExtensionLists {

    private final PluginManager manager;
    private final String spiVersion;
    private final List<String> started = new ArrayList<>();

    private PluginHost(PluginManager manager, String spiVersion) {
        this.manager = manager;
        this.spiVersion = spiVersion;
    }

    /**
     * Loads and starts every plugin jar in {@code folder} (none if it does not exist) that fits this
     * server's SPI version.
     */
    public static PluginHost load(Path folder) {
        PluginHost host = create(folder);
        host.loadJars(chosen(jarsIn(folder), host.spiVersion));
        return host;
    }

    /**
     * Loads and starts the one plugin jar {@code jar} with a PF4J manager of its own: hot deploy loads each
     * jar generation this way, since one manager cannot hold two plugins with the same id, and unloading
     * one closes its class loader at once (the old version must serve its last exchanges first). A jar that
     * is refused, or fails to load or start, leaves the host empty, with the reason logged.
     */
    public static PluginHost loadJar(Path jar) {
        PluginHost host = create(jar.toAbsolutePath().getParent());
        host.loadJars(chosen(List.of(jar), host.spiVersion));
        return host;
    }

    /**
     * A plugin jar's id and version, as its manifest says.
     *
     * @param id      {@code Plugin-Id}
     * @param version {@code Plugin-Version}
     */
    public record JarId(String id, String version) {
    }

    /**
     * Of {@code jars}, the ones to load, in order: those this server's SPI admits (each refused one is
     * logged with why), and of several with one {@code Plugin-Id} the highest {@code Plugin-Version} (the
     * others logged). A jar that cannot be read as one is kept: PF4J then says why it cannot load it.
     */
    public static List<Path> chosen(List<Path> jars, String spiVersion) {
        return chosen(jars, spiVersion, (jar, line) -> true);
    }

    /**
     * The same, logging a line about {@code jar} only when {@code say} says so (a folder looked at again and
     * again says each problem of a jar once).
     */
    public static List<Path> chosen(List<Path> jars, String spiVersion, java.util.function.BiPredicate<Path, String> say) {
        Map<Path, PluginJarInspection> inspected = new java.util.LinkedHashMap<>();
        for (Path jar : jars) {
            Optional<PluginJarInspection> inspection = PluginJarInspection.of(jar);
            Optional<String> refusal = inspection.flatMap(i -> i.refusal(jar.getFileName().toString(), spiVersion));
            if (refusal.isPresent()) {
                if (say.test(jar, refusal.get())) Logger.error(refusal.get());
                continue;
            }
            inspected.put(jar, inspection.orElse(null)); // null: unreadable, PF4J says why when loading it
        }
        List<Path> chosen = new ArrayList<>();
        for (Map.Entry<Path, PluginJarInspection> e : inspected.entrySet()) {
            if (e.getValue() == null || isNewestOfItsId(e.getKey(), e.getValue(), inspected, say)) chosen.add(e.getKey());
        }
        return chosen;
    }

    /** The id and version {@code jar}'s manifest declares; empty when it is no readable plugin jar. */
    public static Optional<JarId> idOf(Path jar) {
        return PluginJarInspection.of(jar).filter(PluginJarInspection::declaresId).map(i -> new JarId(i.pluginId(), i.version()));
    }

    private static PluginHost create(Path folder) {
        String spiVersion = SpiVersion.running();
        JarPluginManager manager = new JarPluginManager(folder) {
            @Override
            protected ExtensionFactory createExtensionFactory() {
                // one instance per extension class: a class that is both Handler and ExchangeObserver is one object
                return new SingletonExtensionFactory(this);
            }
        };
        manager.setSystemVersion(spiVersion);
        return new PluginHost(manager, spiVersion);
    }

    private void loadJars(List<Path> jars) {
        for (Path jar : jars) {
            PluginJarInspection.of(jar).flatMap(i -> i.warning(jar.getFileName().toString())).ifPresent(Logger::warn);
            try {
                String id = manager.loadPlugin(jar);
                if (id == null) Logger.error("Plugin {} was not loaded (see the lines above); it is left out", jar.getFileName());
            } catch (RuntimeException | LinkageError e) {
                Logger.error("Plugin {} cannot be loaded and is left out: {}", jar.getFileName(), describe(e));
            }
        }
        for (PluginWrapper plugin : manager.getPlugins()) {
            String id = plugin.getPluginId();
            try {
                PluginState state = manager.startPlugin(id);
                if (state != PluginState.STARTED) {
                    Logger.error("Plugin {} did not start ({}) and is left out{}", id, state,
                            plugin.getFailedException() == null ? "" : ": " + describe(plugin.getFailedException()));
                    continue;
                }
                List<LoadedExtension<Handler>> h = extensions(Handler.class, id);
                List<LoadedExtension<ExchangeObserver>> o = extensions(ExchangeObserver.class, id);
                List<LoadedExtension<ConnectionObserver>> c = extensions(ConnectionObserver.class, id);
                List<LoadedExtension<CertificateProvider>> p = extensions(CertificateProvider.class, id);
                handlers.addAll(h);
                observers.addAll(o);
                connectionObservers.addAll(c);
                certificateProviders.addAll(p);
                started.add(id);
                Logger.info("Plugin {} {} loaded from {}: {} handler(s), {} observer(s){}", id,
                        plugin.getDescriptor().getVersion(), plugin.getPluginPath().getFileName(), h.size(), o.size(),
                        (c.isEmpty() ? "" : ", " + c.size() + " connection observer(s)")
                                + (p.isEmpty() ? "" : ", " + p.size() + " certificate provider(s)"));
                if (h.isEmpty() && o.isEmpty() && c.isEmpty() && p.isEmpty()) {
                    Logger.warn("Plugin {} has no extensions: was it compiled with PF4J's annotation processor?", id);
                }
            } catch (RuntimeException | LinkageError e) {
                Logger.error("Plugin {} failed while starting and is left out: {}", id, describe(e));
                forget(id);
            }
        }
    }

    /**
     * Whether {@code jar} is the one to load among the jars that declare its plugin id: the highest
     * {@code Plugin-Version}, and among equal ones the first by file name. The others are named in one line.
     */
    private static boolean isNewestOfItsId(Path jar, PluginJarInspection mine, Map<Path, PluginJarInspection> all,
                                           java.util.function.BiPredicate<Path, String> say) {
        DefaultVersionManager versions = new DefaultVersionManager();
        for (Map.Entry<Path, PluginJarInspection> other : all.entrySet()) {
            PluginJarInspection theirs = other.getValue();
            if (theirs == null || other.getKey().equals(jar) || !theirs.pluginId().equals(mine.pluginId())) continue;
            int order;
            try {
                order = versions.compareVersions(theirs.version(), mine.version());
            } catch (RuntimeException unreadable) {
                order = 0;
            }
            if (order > 0 || (order == 0 && other.getKey().getFileName().toString().compareTo(jar.getFileName().toString()) < 0)) {
                String line = "Plugin " + mine.pluginId() + " (" + jar.getFileName() + ", version " + mine.version() + ") is ignored: "
                        + other.getKey().getFileName() + " (version " + theirs.version() + ") has the same Plugin-Id and is loaded instead";
                if (say.test(jar, line)) Logger.error(line);
                return false;
            }
        }
        return true;
    }

    private <T> List<LoadedExtension<T>> extensions(Class<T> type, String pluginId) {
        List<LoadedExtension<T>> result = new ArrayList<>();
        for (T instance : manager.getExtensions(type, pluginId)) {
            Extension annotation = instance.getClass().getAnnotation(Extension.class);
            result.add(new LoadedExtension<>(pluginId, annotation == null ? 0 : annotation.ordinal(), instance));
        }
        return result;
    }

    private static List<Path> jarsIn(Path folder) {
        if (!Files.isDirectory(folder)) {
            Logger.warn("Plugin folder {} does not exist: no plugins", folder.toAbsolutePath());
            return List.of();
        }
        try (Stream<Path> files = Files.list(folder)) {
            List<Path> jars = files.filter(p -> p.getFileName().toString().endsWith(".jar")).sorted().toList();
            for (Path p : jars) {
                if (!Files.isRegularFile(p)) Logger.warn("{} in the plugins folder is not a readable file (a broken link?): skipped", p.getFileName());
            }
            return jars.stream().filter(Files::isRegularFile).toList();
        } catch (IOException e) {
            Logger.error("Plugin folder {} cannot be read: {}", folder, e.getMessage());
            return List.of();
        }
    }

    /** The ids of the plugins that started. */
    @Override
    public List<String> pluginIds() {
        return List.copyOf(started);
    }

    /** The started plugins' versions by id, in load order. */
    @Override
    public java.util.Map<String, String> versions() {
        java.util.Map<String, String> versions = new java.util.LinkedHashMap<>();
        for (String id : started) versions.put(id, manager.getPlugin(id).getDescriptor().getVersion());
        return versions;
    }

    /** The SPI version this host loads plugins for (PF4J's system version). */
    public String spiVersion() {
        return spiVersion;
    }

    /** The jar plugin {@code pluginId} came from. */
    @Override
    public Optional<Path> file(String pluginId) {
        PluginWrapper plugin = manager.getPlugin(pluginId);
        return plugin == null ? Optional.empty() : Optional.of(plugin.getPluginPath());
    }

    /**
     * Stops and unloads plugin {@code pluginId} alone (its extensions were stopped before): PF4J closes its
     * class loader, so nothing of it may run any more.
     */
    @Override
    public void unload(String pluginId) {
        forget(pluginId);
        started.remove(pluginId);
        try {
            if (manager.getPlugin(pluginId) != null) manager.unloadPlugin(pluginId); // stops it first
        } catch (RuntimeException e) {
            Logger.warn("Plugin {} did not unload cleanly: {}", pluginId, describe(e));
        }
    }

    /** Leaves out a plugin whose extensions failed to start. */
    @Override
    public void drop(String pluginId) {
        forget(pluginId);
        started.remove(pluginId);
    }

    /** Stops the plugins one by one (PF4J's stopPlugins() is unreliable in 3.15) and unloads them. */
    @Override
    public void close() {
        List<PluginWrapper> plugins = new ArrayList<>(manager.getStartedPlugins());
        Collections.reverse(plugins);
        for (PluginWrapper plugin : plugins) {
            try {
                manager.stopPlugin(plugin.getPluginId());
            } catch (RuntimeException e) {
                Logger.warn("Plugin {} did not stop cleanly: {}", plugin.getPluginId(), describe(e));
            }
        }
    }

    private static String describe(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) root = root.getCause();
        String text = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
        if (root != e) text += " (caused by " + root.getClass().getSimpleName() + (root.getMessage() == null ? "" : ": " + root.getMessage()) + ")";
        return text;
    }
}

package dev.porta.server.deploy;

import dev.porta.server.config.ConfigFile;
import dev.porta.server.plugin.PluginHost;
import dev.porta.server.plugin.SpiVersion;
import dev.porta.spi.ConfigException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.tinylog.Logger;

/**
 * Brings the running plugins in line with the settled jars of the plugins folder: a new plugin id is
 * loaded and put in its place in the chain, a jar that changed (or a higher version of a running id) is
 * swapped in, a plugin whose jar is gone is unloaded. Each change is one new generation, and fails closed:
 * a new jar that does not start leaves the old version serving; a removal that would leave settings in
 * the config without their plugin is refused.
 */
public final class HotDeploy {

    private final Deployment deployment;
    private final String spiVersion = SpiVersion.running();

    /** What was said about each jar of the folder, for its stamp then: each problem is logged once, not at every look. */
    private final Map<Path, Said> said = new java.util.HashMap<>();

    private record Said(Optional<JarStamp> stamp, java.util.Set<String> lines) {
    }

    /** Whether {@code line} about {@code jar} is new for the jar as it is now (a changed jar is spoken of anew). */
    private boolean firstTime(Map<Path, JarStamp> settled, Path jar, String line) {
        Optional<JarStamp> stamp = Optional.ofNullable(settled.get(jar));
        Said before = said.get(jar);
        if (before == null || !before.stamp().equals(stamp)) {
            before = new Said(stamp, new java.util.HashSet<>());
            said.put(jar, before);
        }
        return before.lines().add(line);
    }

    /** Changes {@code deployment}. */
    public HotDeploy(Deployment deployment) {
        this.deployment = deployment;
    }

    /** Applies the folder as it is: {@code settled} are its jars that have settled, with their stamps. */
    public void sync(Map<Path, JarStamp> settled) {
        synchronized (deployment) {
            said.keySet().retainAll(settled.keySet());
            Map<String, Path> wanted = new LinkedHashMap<>();
            for (Path jar : PluginHost.chosen(new ArrayList<>(settled.keySet()).stream().sorted().toList(), spiVersion,
                    (j, line) -> firstTime(settled, j, line))) {
                Optional<PluginHost.JarId> id = PluginHost.idOf(jar);
                if (id.isEmpty()) {
                    String line = jar.getFileName() + " in the plugins folder is no plugin jar (no manifest with a Plugin-Id): ignored";
                    if (firstTime(settled, jar, line)) Logger.error(line);
                    continue;
                }
                wanted.put(id.get().id(), jar);
            }
            for (Map.Entry<String, Path> w : wanted.entrySet()) {
                RunningPlugin running = deployment.current().plugins().get(w.getKey());
                if (running == null) {
                    add(w.getValue());
                } else if (running.file().isEmpty()) {
                    Logger.error("Plugin jar {} is ignored: plugin {} runs already, made in this JVM", w.getValue().getFileName(), w.getKey());
                } else if (!running.file().get().equals(w.getValue()) || !running.stamp().equals(Optional.ofNullable(settled.get(w.getValue())))) {
                    swap(running, w.getValue());
                }
            }
            for (RunningPlugin running : List.copyOf(deployment.current().plugins().values())) {
                if (running.file().isPresent() && !wanted.containsKey(running.id())) remove(running);
            }
        }
    }

    /**
     * Takes what start-up said about the jars of {@code folder} (which of several with one id is ignored, which
     * the SPI refuses) as said already: the first look after a change does not say it again.
     */
    public void saidAtStart(Path folder) {
        synchronized (deployment) {
            Map<Path, JarStamp> now = stamps(folder);
            PluginHost.chosen(List.copyOf(now.keySet()), spiVersion, (jar, line) -> {
                firstTime(now, jar, line);
                return false;
            });
        }
    }

    private static Map<Path, JarStamp> stamps(Path folder) {
        Map<Path, JarStamp> now = new LinkedHashMap<>();
        try (java.util.stream.Stream<Path> files = java.nio.file.Files.list(folder)) {
            for (Path p : files.filter(f -> f.getFileName().toString().endsWith(".jar")).sorted().toList()) {
                JarStamp.of(p).ifPresent(stamp -> now.put(p, stamp));
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return now;
    }

    /**
     * Applies {@code folder} as it is now, without waiting for its jars to settle: for tests that change
     * it many times (the watcher's settling is tested on its own).
     */
    public void syncNow(Path folder) {
        sync(stamps(folder));
    }

    private void add(Path jar) {
        Generation g = deployment.current();
        Optional<RunningPlugin> fresh = deployment.startJar(jar, g.file(), g.config());
        if (fresh.isEmpty()) return;
        Map<String, RunningPlugin> plugins = new LinkedHashMap<>(g.plugins());
        plugins.put(fresh.get().id(), fresh.get());
        install(fresh.get(), plugins, "Plugin " + fresh.get().describe() + " loaded", null);
    }

    private void swap(RunningPlugin old, Path jar) {
        Generation g = deployment.current();
        Optional<RunningPlugin> fresh = deployment.startJar(jar, g.file(), g.config());
        if (fresh.isEmpty()) {
            Logger.error("Plugin {} keeps serving: its new jar {} did not start", old.describe(), jar.getFileName());
            return;
        }
        if (!fresh.get().id().equals(old.id())) { // the manifest changed between the look and the load
            fresh.get().stopAndUnload();
            return;
        }
        Map<String, RunningPlugin> plugins = new LinkedHashMap<>(g.plugins());
        plugins.put(old.id(), fresh.get());
        install(fresh.get(), plugins, "Plugin " + old.id() + " swapped: " + fresh.get().describe() + " replaces " + old.describe(), old);
    }

    private void remove(RunningPlugin old) {
        Generation g = deployment.current();
        Optional<ConfigFile.Entry> setting = g.file().entries().values().stream().filter(e -> e.key().startsWith(old.id() + ".")).findFirst();
        if (setting.isPresent()) {
            Logger.error("Plugin {} is gone from the plugins folder, but the config has settings for it ({}: {}): it keeps running,"
                    + " as Porta never runs with settings for a missing plugin; remove its settings (and reload) first",
                    old.describe(), g.file().where(setting.get()), setting.get().key());
            return;
        }
        if (old.owner().certificateProviders().stream().anyMatch(e -> e.pluginId().equals(old.id()))) {
            Logger.error("Plugin {} is gone from the plugins folder, but it provides HTTPS certificates, which the HTTPS listener"
                    + " asks while Porta runs: it keeps running until Porta restarts", old.describe());
            return;
        }
        Map<String, RunningPlugin> plugins = new LinkedHashMap<>(g.plugins());
        plugins.remove(old.id());
        install(null, plugins, "Plugin " + old.describe() + " removed", old);
    }

    /** Installs the generation over {@code plugins}; when its chain does not fit, {@code fresh} is left out and nothing changes. */
    private void install(RunningPlugin fresh, Map<String, RunningPlugin> plugins, String what, RunningPlugin old) {
        Generation g = deployment.current();
        Generation next;
        try {
            next = deployment.next(g.file(), g.config(), plugins);
        } catch (ConfigException e) {
            if (fresh != null) fresh.stopAndUnload();
            Logger.error("{} is refused: {}; {}", what, e.getMessage(), old == null ? "nothing changes" : old.describe() + " keeps running");
            return;
        }
        deployment.install(next, what);
    }
}

package dev.porta.server.deploy;

import dev.porta.server.Porta;
import dev.porta.server.Server;
import dev.porta.server.config.ConfigFile;
import dev.porta.server.config.HttpsConfig;
import dev.porta.server.config.ServerConfig;
import dev.porta.server.plugin.InProcessPlugins;
import dev.porta.server.plugin.LoadedExtension;
import dev.porta.server.plugin.PluginHost;
import dev.porta.server.plugin.SpiVersion;
import dev.porta.spi.ConfigException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;
import org.tinylog.Logger;

/**
 * Reloads the config while Porta serves (SIGHUP, {@code porta reload}): the new config is read and checked
 * whole first, and on any problem nothing changes and the log says {@code FILE:LINE: problem — keeping the
 * running configuration}. Otherwise the plugins whose settings changed are started anew with them (failing
 * closed: one that does not start keeps the whole old configuration), a changed address or port is bound
 * before the old listener closes, and the new generation serves new exchanges while those in flight finish
 * on the old. Keys that cannot change while Porta runs are reported as {@code FILE:LINE: needs a restart}.
 */
public final class ConfigReload {

    /** What the log says after each problem that stops a reload. */
    public static final String KEEPING = " — keeping the running configuration";

    /** The keys a running Porta cannot change, and why. */
    private static final List<String> RESTART_ONLY = List.of("server.log-dir", "server.data-dir", "server.plugins");

    private final Deployment deployment;
    private final Server server;

    /** Reloads into {@code deployment}, whose listeners {@code server} holds. */
    public ConfigReload(Deployment deployment, Server server) {
        this.deployment = deployment;
        this.server = server;
    }

    /**
     * Reads the config with {@code readFile} and {@code readConfig} and applies it; whether it was applied.
     */
    public boolean reload(Supplier<ConfigFile> readFile, Function<ConfigFile, ServerConfig> readConfig) {
        synchronized (deployment) {
            Generation g = deployment.current();
            ConfigFile file;
            ServerConfig read;
            try {
                file = readFile.get();
                read = readConfig.apply(file);
            } catch (ConfigException e) {
                keep(e.getMessage());
                return false;
            }
            ServerConfig config = read.keepingRestartOnly(g.config());
            for (String key : RESTART_ONLY) {
                if (!value(read, key).equals(value(g.config(), key))) {
                    Logger.warn("{}: {}: needs a restart (the rest of the config is applied)", where(file, g.file(), key), key);
                }
            }
            if (read.watchPlugins() != g.config().watchPlugins()) {
                Logger.warn("{}: server.plugins.watch: needs a restart (the rest of the config is applied)",
                        where(file, g.file(), "server.plugins.watch"));
            }
            if (!sameHttpsIdentity(read.https(), g.config().https())) {
                Logger.warn("{}: server.https: whether Porta serves HTTPS and with which certificates needs a restart (the rest is"
                        + " applied; a certificate file changed in place is re-read by itself)", where(file, g.file(), "server.https.port"));
                try {
                    config = withHttps(config, g.config().https());
                } catch (ConfigException e) {
                    keep(where(file, g.file(), "server.port") + ": " + e.getMessage());
                    return false;
                }
            }
            // a jar of the plugins folder that server.chain now names and that is not running (left out when it was
            // dropped in, as the old chain did not name it) is loaded now: the documented way to add a plugin with a chain
            Map<String, RunningPlugin> added = new LinkedHashMap<>();
            for (String id : config.chain()) {
                if (g.plugins().containsKey(id)) continue;
                Optional<Path> jar = jarOf(g.config().plugins(), id);
                if (jar.isEmpty()) continue; // the chain's check below says no loaded plugin has it
                Optional<RunningPlugin> started = deployment.startJar(jar.get(), file, config);
                if (started.isEmpty() || !started.get().id().equals(id)) {
                    started.ifPresent(RunningPlugin::stopAndUnload);
                    added.values().forEach(RunningPlugin::stopAndUnload);
                    keep(where(file, g.file(), "server.chain") + ": server.chain: plugin " + id + " (" + jar.get().getFileName()
                            + ") did not start (see above)");
                    return false;
                }
                added.put(id, started.get());
            }
            List<RunningPlugin> checked = new ArrayList<>(g.plugins().values());
            checked.addAll(added.values());
            List<String> problems = Porta.check(file, config, view(checked));
            if (!problems.isEmpty()) {
                added.values().forEach(RunningPlugin::stopAndUnload);
                problems.forEach(ConfigReload::keep);
                return false;
            }
            boolean contextChanged = !config.root().equals(g.config().root()) || !config.host().equals(g.config().host());
            Map<String, RunningPlugin> plugins = new LinkedHashMap<>(g.plugins());
            plugins.putAll(added);
            List<RunningPlugin> fresh = new ArrayList<>(added.values());
            List<String> loaded = added.values().stream().map(RunningPlugin::describe).toList();
            List<String> restarted = new ArrayList<>();
            for (RunningPlugin p : g.plugins().values()) {
                if (!contextChanged && settings(g.file(), p.id()).equals(settings(file, p.id()))) continue;
                if (p.file().isPresent() && !java.nio.file.Files.isRegularFile(p.file().get()) && settings(file, p.id()).isEmpty()) {
                    // its jar was removed, which its settings held back: it is unloaded next (hot deploy), not started anew
                    continue;
                }
                if (providesCertificates(p)) {
                    // the HTTPS listener asks the providers it started with (Deployment.startJar refuses them while Porta
                    // runs): it keeps running as it is, and only what it would have been started anew with waits
                    restartNeeded(file, g, p.id(), contextChanged);
                    continue;
                }
                if (p.file().isEmpty()) {
                    Logger.warn("Plugin {} was made in this JVM and cannot be started anew: its new settings apply after a restart", p.id());
                    continue;
                }
                Optional<RunningPlugin> started = deployment.startJar(p.file().get(), file, config);
                if (started.isEmpty() || !started.get().id().equals(p.id())) {
                    started.ifPresent(RunningPlugin::stopAndUnload);
                    fresh.forEach(RunningPlugin::stopAndUnload);
                    keep(file.source() + ": plugin " + p.id() + " did not start with its new settings (see above)");
                    return false;
                }
                fresh.add(started.get());
                plugins.put(p.id(), started.get());
                restarted.add(p.id());
            }
            Generation next;
            try {
                next = deployment.next(file, config, plugins);
            } catch (ConfigException e) {
                fresh.forEach(RunningPlugin::stopAndUnload);
                keep(e.getMessage());
                return false;
            }
            try {
                server.reconfigure(config);
            } catch (IOException | RuntimeException e) {
                fresh.forEach(RunningPlugin::stopAndUnload);
                String why = e.getMessage() == null ? e.toString() : e.getMessage();
                // Server.bind names the address already ("cannot listen on HOST:PORT: address already in use")
                keep(where(file, g.file(), "server.port") + ": " + (why.startsWith("cannot listen on ") ? why
                        : "cannot listen on " + config.host() + ":" + listening(config) + ": " + why.toLowerCase(java.util.Locale.ROOT)));
                return false;
            }
            if (!file.source().equals(ConfigFile.NO_FILE)) deployment.neverServed().add(Path.of(file.source()));
            deployment.install(next, "Config reloaded from " + file.source()
                    + (restarted.isEmpty() ? "" : " (plugins started anew with their new settings: " + String.join(", ", restarted) + ")")
                    + (loaded.isEmpty() ? "" : " (loaded, as server.chain names them now: " + String.join(", ", loaded) + ")"));
            return true;
        }
    }

    private static boolean providesCertificates(RunningPlugin p) {
        return p.owner().certificateProviders().stream().anyMatch(e -> e.pluginId().equals(p.id()));
    }

    /**
     * Says, as {@code FILE:LINE: KEY: needs a restart}, each change that certificate provider {@code id} would have
     * been started anew for: its own settings that changed, and {@code server.host} or {@code server.root}.
     */
    private static void restartNeeded(ConfigFile file, Generation g, String id, boolean contextChanged) {
        Map<String, String> before = settings(g.file(), id);
        Map<String, String> now = settings(file, id);
        java.util.Set<String> keys = new java.util.LinkedHashSet<>(before.keySet());
        keys.addAll(now.keySet());
        List<String> changed = new ArrayList<>(keys.stream().filter(k -> !Objects.equals(before.get(k), now.get(k))).toList());
        if (contextChanged) {
            for (String key : List.of("server.host", "server.root")) {
                if (!Objects.equals(value(g.file(), key), value(file, key))) changed.add(key);
            }
        }
        for (String key : changed) {
            Logger.warn("{}: {}: needs a restart for plugin {}, which provides HTTPS certificates and is not started anew while"
                    + " Porta runs (the rest of the config is applied)", where(file, g.file(), key), key, id);
        }
    }

    private static String value(ConfigFile file, String key) {
        ConfigFile.Entry e = file.entries().get(key);
        return e == null ? null : e.value();
    }

    /** The jar of {@code folder} that would be loaded for plugin {@code id} (the newest of that id), if any. */
    private static Optional<Path> jarOf(Path folder, String id) {
        if (!java.nio.file.Files.isDirectory(folder)) return Optional.empty();
        List<Path> jars;
        try (java.util.stream.Stream<Path> files = java.nio.file.Files.list(folder)) {
            jars = files.filter(f -> f.getFileName().toString().endsWith(".jar") && java.nio.file.Files.isRegularFile(f)).sorted().toList();
        } catch (IOException e) {
            return Optional.empty();
        }
        List<Path> withId = jars.stream().filter(j -> PluginHost.idOf(j).map(PluginHost.JarId::id).filter(id::equals).isPresent()).toList();
        if (withId.isEmpty()) return Optional.empty();
        // quiet: the start and hot deploy have said why a jar is not the one (and the reload's log says what it loads)
        return PluginHost.chosen(withId, SpiVersion.running(), (jar, line) -> false).stream().findFirst();
    }

    /** The ports {@code config} listens on, for a message. */
    private static String listening(ServerConfig config) {
        String https = config.https().map(h -> Integer.toString(h.port())).orElse("");
        if (config.port() == ServerConfig.OFF) return https;
        return config.port() + (https.isEmpty() ? "" : " (HTTPS " + https + ")");
    }

    private static void keep(String problem) {
        Logger.error("{}{}", problem.replace("\n", KEEPING + "\n"), KEEPING);
    }

    /** The running plugins as a plugin set, for the checks (they check settings without side effects). */
    private static InProcessPlugins view(List<RunningPlugin> running) {
        InProcessPlugins view = new InProcessPlugins();
        for (RunningPlugin p : running) {
            for (LoadedExtension<?> e : p.handlers()) view.handler(p.id(), (dev.porta.spi.Handler) e.instance());
            for (LoadedExtension<?> e : p.observers()) view.observer(p.id(), (dev.porta.spi.ExchangeObserver) e.instance());
            for (LoadedExtension<?> e : p.connectionObservers()) view.connectionObserver(p.id(), (dev.porta.spi.ConnectionObserver) e.instance());
        }
        return view;
    }

    /** A plugin's entries (key to value, lines aside). */
    private static Map<String, String> settings(ConfigFile file, String id) {
        Map<String, String> settings = new LinkedHashMap<>();
        file.entries().values().stream().filter(e -> e.key().startsWith(id + ".")).forEach(e -> settings.put(e.key(), e.value()));
        return settings;
    }

    private static Path value(ServerConfig c, String key) {
        return switch (key) {
            case "server.log-dir" -> c.logDir();
            case "server.data-dir" -> c.dataDir();
            default -> c.plugins();
        };
    }

    private static boolean sameHttpsIdentity(Optional<HttpsConfig> a, Optional<HttpsConfig> b) {
        if (a.isPresent() != b.isPresent()) return false;
        return a.isEmpty() || (Objects.equals(a.get().certificates(), b.get().certificates()) && a.get().hsts().equals(b.get().hsts()));
    }

    private static ServerConfig withHttps(ServerConfig c, Optional<HttpsConfig> https) {
        return new ServerConfig(c.host(), c.port(), c.root(), c.plugins(),
                c.dataDir(), c.logDir(), c.trustedProxies(), c.chain(), c.errorPages(), c.limits(), c.timeouts(), https,
                c.redirectToHttps() && https.isPresent(), c.watchPlugins());
    }

    private static String where(ConfigFile file, ConfigFile old, String key) {
        ConfigFile.Entry e = file.entries().get(key);
        if (e != null) return file.where(e);
        ConfigFile.Entry before = old.entries().get(key);
        return before == null ? file.source() : old.where(before) + " (now removed)";
    }
}

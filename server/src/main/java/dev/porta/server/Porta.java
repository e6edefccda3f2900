package dev.porta.server;

import dev.porta.server.admin.ConfigCheck;
import dev.porta.server.admin.PortAvailability;
import dev.porta.server.admin.PortOwner;
import dev.porta.server.admin.StartupError;
import dev.porta.server.admin.VersionText;
import dev.porta.server.config.CommandLine;
import dev.porta.server.config.ConfigFile;
import dev.porta.server.config.ConfigSettings;
import dev.porta.server.config.ServerConfig;
import dev.porta.server.control.HangUpSignal;
import dev.porta.server.control.PidFile;
import dev.porta.server.deploy.ConfigReload;
import dev.porta.server.deploy.Deployment;
import dev.porta.server.deploy.Generation;
import dev.porta.server.deploy.HotDeploy;
import dev.porta.server.deploy.PluginFolderWatcher;
import dev.porta.server.deploy.RunningPlugin;
import dev.porta.server.pipeline.ActivePipeline;
import java.time.Duration;
import dev.porta.server.pipeline.ChainOrder;
import dev.porta.server.pipeline.Pipeline;
import dev.porta.server.plugin.ExtensionCheck;
import dev.porta.server.plugin.HostContext;
import dev.porta.server.plugin.LoadedExtension;
import dev.porta.server.plugin.NeverServedFiles;
import dev.porta.server.plugin.PluginHost;
import dev.porta.server.plugin.PluginSet;
import dev.porta.server.config.HttpsConfig;
import dev.porta.server.tls.Certificates;
import dev.porta.server.tls.ProvidedCertificates;
import dev.porta.server.tls.TlsContext;
import dev.porta.spi.ConfigException;
import dev.porta.spi.ExchangeObserver;
import dev.porta.spi.Handler;
import dev.porta.spi.Lifecycle;
import dev.porta.spi.ServerState;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.tinylog.Logger;
import org.tinylog.provider.ProviderRegistry;

/**
 * Porta's entry point: reads the config, loads the plugins, starts their extensions, builds the chain and
 * listens. Exit status: 0 after a graceful stop (SIGTERM, Ctrl-C), 2 for a bad config or command line, 1
 * when the server cannot start otherwise (port taken, a plugin the config relies on failed).
 */
public final class Porta implements AutoCloseable {

    /** The default config file under Porta's home, used when it exists and no {@code --config} is given. */
    public static final Path DEFAULT_CONFIG = Path.of("conf", "porta.properties");

    /** The system property the launcher sets to Porta's home (the folder that holds {@code conf/}). */
    public static final String HOME_PROPERTY = "porta.home";

    private final Server server;
    private final Deployment deployment;
    private final PluginFolderWatcher watcher;
    private final Optional<Path> watched;
    private final HotDeploy hotDeploy;
    private final InetSocketAddress address;
    private final NeverServedFiles neverServed;

    private Porta(Server server, Deployment deployment, Optional<Path> watched, PluginFolderWatcher watcher,
                  InetSocketAddress address, NeverServedFiles neverServed) {
        this.watched = watched;
        this.hotDeploy = new HotDeploy(deployment);
        this.server = server;
        this.neverServed = neverServed;
        this.deployment = deployment;
        this.watcher = watcher;
        this.address = address;
    }

    public static void main(String[] args) {
        // JSSE reads this once, at its first server handshake: refuse a client's TLS 1.2 renegotiation
        if (System.getProperty(TlsContext.REJECT_RENEGOTIATION) == null) System.setProperty(TlsContext.REJECT_RENEGOTIATION, "true");
        List<String> words = List.of(args);
        if (words.contains("--help") || words.contains("-h")) {
            System.out.println(CommandLine.USAGE);
            return;
        }
        if (words.contains("--version")) {
            System.out.println(VersionText.text());
            return;
        }
        boolean check = !words.isEmpty() && words.get(0).equals("check");
        CommandLine flags;
        ConfigFile file;
        ServerConfig config;
        try {
            flags = CommandLine.parse(check ? words.subList(1, words.size()).toArray(String[]::new) : args);
            if (check) {
                System.exit(checkConfig(flags));
                return;
            }
            file = readConfig(flags, home());
            config = ServerConfig.read(file, flags);
        } catch (ConfigException e) {
            System.err.println("porta: " + e.getMessage());
            System.exit(2);
            return;
        }
        // a port in use is found before any plugin loads, and said in one line
        Optional<String> busy = unbindablePort(config);
        if (busy.isPresent()) {
            System.err.println("porta: " + busy.get());
            System.exit(1);
            return;
        }
        configureLogging(config);
        PidFile pidFile;
        try {
            pidFile = PidFile.claim(config.dataDir());
        } catch (PidFile.HeldElsewhere e) {
            System.err.println("porta: " + e.getMessage());
            System.exit(1);
            return;
        } catch (PidFile.NotOwnFile e) {
            System.err.println("porta: " + e.getMessage());
            System.exit(1);
            return;
        } catch (IOException e) {
            // the cause, not only the path: "…/porta.pid: permission denied"
            System.err.println("porta: cannot write the PID file (server.data-dir): " + StartupError.describe(e));
            System.exit(1);
            return;
        }
        Porta porta;
        try {
            porta = start(file, config);
        } catch (ConfigException e) {
            Logger.error("Porta did not start: {}", e.getMessage());
            System.err.println("porta: " + e.getMessage());
            pidFile.close();
            shutdownLogging();
            System.exit(2);
            return;
        } catch (IOException | RuntimeException e) {
            String cause = StartupError.describe(e);
            Logger.debug(e, "Porta did not start");
            Logger.error("Porta did not start: {}", cause);
            System.err.println("porta: " + cause);
            pidFile.close();
            shutdownLogging();
            System.exit(1);
            return;
        }
        reloadOnHangUp(porta, flags);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            Logger.info("Shutting down");
            porta.close();
            pidFile.close();
            Logger.info("Porta stopped");
            shutdownLogging();
            System.out.flush();
            System.err.flush();
            // exit status 0 for a graceful stop; System.exit inside a hook would hang
            Runtime.getRuntime().halt(0);
        }, "porta-shutdown"));
    }

    /**
     * {@code porta check}: the console shows warnings and problems only, and nothing is written to the log
     * file (a check creates no file or folder, not even {@code logs/}).
     */
    private static int checkConfig(CommandLine flags) {
        if (System.getProperty("tinylog.configuration") == null) {
            if (System.getProperty("tinylog.writer1.level") == null) System.setProperty("tinylog.writer1.level", "warn");
            // a file writer opens (and creates) its file when tinylog starts, whatever its level: for a check
            // the second writer is a console writer that writes nothing
            System.setProperty("tinylog.writer2", "console");
            System.setProperty("tinylog.writer2.level", "off");
        }
        int status = new ConfigCheck(PortOwner.system()).run(flags, home(), System.out, System.err);
        shutdownLogging();
        return status;
    }

    /** {@code cannot listen on HOST:PORT: why} for the first port of {@code config} that cannot be bound now. */
    static Optional<String> unbindablePort(ServerConfig config) {
        List<Integer> ports = new ArrayList<>();
        config.https().ifPresent(h -> ports.add(h.port()));
        if (config.port() != ServerConfig.OFF) ports.add(config.port());
        for (int port : ports) {
            if (port == 0) continue;
            Optional<String> why = PortAvailability.whyNot(config.host(), port);
            if (why.isPresent()) return Optional.of("cannot listen on " + PortAvailability.text(config.host(), port) + ": " + why.get());
        }
        return Optional.empty();
    }

    /**
     * Porta's home: the folder that holds {@code conf/}, against which the config file's relative paths
     * are taken. The launcher names it ({@code -Dporta.home}); without it, the current directory.
     */
    static Path home() {
        String home = System.getProperty(HOME_PROPERTY);
        return (home == null || home.isBlank() ? Path.of("") : Path.of(home)).toAbsolutePath().normalize();
    }

    /**
     * SIGHUP, which admins send to reload ({@code porta reload}, systemd's {@code ExecReload}), reloads the
     * config the way it was found at start ({@code --config}, or the default) with the same flags, on a
     * thread of its own; reloads run one at a time.
     */
    @SuppressWarnings("restriction")
    private static void reloadOnHangUp(Porta porta, CommandLine flags) {
        if (HangUpSignal.ignoredBy(ProcessHandle.current().pid())) {
            // the JVM installs no handler for a signal ignored at its start: a SIGHUP would do nothing, silently
            Logger.warn("SIGHUP is ignored by this process (started with nohup?): reloading by signal (porta reload) is off;"
                    + " a changed config applies at the next start");
            return;
        }
        try {
            sun.misc.Signal.handle(new sun.misc.Signal("HUP"), signal -> Thread.ofPlatform().name("porta-reload").start(() -> {
                Logger.info("SIGHUP received: reloading the config");
                try {
                    porta.reload(() -> readConfig(flags, home()), file -> ServerConfig.read(file, flags));
                } catch (RuntimeException | LinkageError e) {
                    Logger.error(e, "Reloading failed{}", ConfigReload.KEEPING);
                }
            }));
        } catch (IllegalArgumentException | UnsupportedOperationException e) {
            Logger.debug("SIGHUP cannot be handled here: {}", e.getMessage());
        }
    }

    /** The config file named by {@code --config}, else {@code HOME/conf/porta.properties} if present, else none. */
    public static ConfigFile readConfig(CommandLine flags, Path home) {
        if (flags.config().isPresent()) return ConfigFile.read(flags.config().get(), home);
        Path fallback = home.resolve(DEFAULT_CONFIG);
        return Files.isRegularFile(fallback) ? ConfigFile.read(fallback, home) : ConfigFile.empty(home);
    }

    /**
     * Loads the plugins of {@code config.plugins()}, starts their extensions with their settings from
     * {@code file}, and starts the server.
     *
     * @throws ConfigException when the config names a plugin that did not load, has an unknown key, or a
     *                         plugin refuses its settings
     */
    public static Porta start(ConfigFile file, ServerConfig config) throws IOException {
        // certificates first: a bad one stops start-up with FILE:LINE before any plugin is loaded
        config.https().ifPresent(h -> Certificates.load(h, path -> { }).close());
        return start(file, config, PluginHost.load(config.plugins()), null, Optional.of(config.plugins()));
    }

    /**
     * Starts the extensions of {@code plugins} with their settings from {@code file}, and the server: the
     * one start-up path, for {@link #main} (plugin jars) and for embedding ({@link EmbeddedPorta}). The
     * plugins belong to the Porta returned: {@link #close} unloads them, as does a failed start.
     */
    public static Porta start(ConfigFile file, ServerConfig config, PluginSet plugins) throws IOException {
        return start(file, config, plugins, null, Optional.empty());
    }

    /**
     * The same, with {@code recorder} (may be null) seeing every exchange first, for embedding; when
     * {@code watched} names the folder {@code host} loaded its jars from and {@code server.plugins.watch} is
     * on, jars added to, replaced in or removed from it are deployed while Porta runs.
     */
    static Porta start(ConfigFile file, ServerConfig config, PluginSet host, ExchangeObserver recorder, Optional<Path> watched)
            throws IOException {
        NeverServedFiles neverServed = NeverServedFiles.forServer(config);
        Certificates certificates;
        try {
            certificates = config.https().map(h -> Certificates.load(h, neverServed::add)).orElse(null);
        } catch (RuntimeException e) {
            host.close();
            throw e;
        }
        List<Lifecycle> started = new ArrayList<>();
        try {
            if (!file.source().equals(ConfigFile.NO_FILE)) neverServed.add(Path.of(file.source()));
            config.errorPages().forEach((status, page) -> {
                if (file.entries().containsKey("errors." + status) && !Files.isRegularFile(config.root().resolve(page))) {
                    Logger.warn("{}: errors.{}: {} is not a file under the site folder (yet): the built-in page is used",
                            where(file, "errors." + status), status, page);
                }
            });
            // conf/ under Porta's home holds configs and users files, also ones not in use right now
            neverServed.addServerFolder("the config folder", file.home().resolve("conf"), config.root());
            AtomicReference<Server> serverRef = new AtomicReference<>(); // made after the extensions start
            Map<String, HostContext> contexts = new LinkedHashMap<>();
            for (String id : host.pluginIds()) {
                contexts.put(id, new HostContext(id, new ConfigSettings(file, id), config, neverServed, serverState(serverRef)));
            }
            // the config's rules and every plugin's check before any plugin starts: a bad config stops Porta
            // before anything is written or contacted (porta check runs the same)
            List<String> problems = check(file, config, host);
            if (!problems.isEmpty()) throw new ConfigException(String.join("\n", problems));
            startExtensions(host, contexts, started);
            for (HostContext c : contexts.values()) c.configSettings().rejectUnread();
            ProvidedCertificates provided = providedCertificates(file, config, host, contexts);

            Map<String, RunningPlugin> running = new LinkedHashMap<>();
            for (String id : host.pluginIds()) running.put(id, RunningPlugin.of(host, id, started, contexts.get(id)));
            Generation first = Generation.build(0, file, config, running, recorder, neverServed);
            Pipeline pipeline = first.pipeline();
            for (HostContext c : contexts.values()) c.describeServer(first.versions(), first.chain());
            List<Pipeline.Watcher> watchers = new ArrayList<>();
            host.observers().forEach(o -> watchers.add(new Pipeline.Watcher(o.pluginId(), o.instance())));
            List<Pipeline.ConnectionWatcher> connectionWatchers = host.connectionObservers().stream()
                    .map(o -> new Pipeline.ConnectionWatcher(o.pluginId(), o.instance())).toList();
            Logger.info("Handler chain: {}", first.chainText());
            if (!watchers.isEmpty()) {
                Logger.info("Observers: {}", String.join(", ", watchers.stream().map(Pipeline.Watcher::pluginId).toList()));
            }
            if (!connectionWatchers.isEmpty()) {
                Logger.info("Connection observers: {}", String.join(", ", connectionWatchers.stream().map(Pipeline.ConnectionWatcher::pluginId).toList()));
            }
            ActivePipeline active = new ActivePipeline(pipeline);
            Server server = new Server(config, active, certificates, provided);
            serverRef.set(server);
            InetSocketAddress address = server.start();
            Deployment deployment = new Deployment(active, first, neverServed, recorder, serverState(serverRef));
            PluginFolderWatcher watcher = null;
            if (watched.isPresent() && config.watchPlugins()) {
                HotDeploy hotDeploy = new HotDeploy(deployment);
                try {
                    hotDeploy.saidAtStart(watched.get());
                } catch (UncheckedIOException e) {
                    Logger.debug("Could not list {}: {}", watched.get(), e.getMessage()); // the watcher will say
                }
                watcher = new PluginFolderWatcher(watched.get(), hotDeploy::sync, SETTLE, Duration.ofMillis(250));
            } else if (watched.isPresent()) {
                Logger.info("server.plugins.watch is off: jars added to {} later are loaded at the next start", watched.get());
            }
            Logger.info("Serving {}", config.root());
            if (config.port() != ServerConfig.OFF) {
                Logger.info("Porta listening on http://{}:{}/{}", hostText(config.host()), address.getPort(),
                        config.redirectToHttps() ? " (redirecting to HTTPS)" : "");
            }
            if (server.httpsAddress().isPresent()) {
                Logger.info("Porta listening on https://{}:{}/", hostText(config.host()), server.httpsAddress().get().getPort());
            }
            return new Porta(server, deployment, watched, watcher, address, neverServed);
        } catch (IOException | RuntimeException e) {
            if (certificates != null) certificates.close();
            stopExtensions(started);
            host.close();
            throw e;
        }
    }

    /**
     * Checks a config without running it, for {@code porta check} ({@link ConfigCheck}) and config reload: loads the
     * plugins of {@code config.plugins()} as start-up does, requires a loaded plugin for every settings
     * prefix, and runs every extension's {@link Lifecycle#check} with its plugin's settings from
     * {@code file} ({@link ExtensionCheck}). Starts no extension, binds no port, creates no file or folder;
     * the plugins are unloaded again before it returns.
     *
     * @return the problems found, each {@code FILE:LINE: ...}, at most one per plugin; empty when the
     *         config is fine as far as the plugins can tell
     */
    public static List<String> check(ConfigFile file, ServerConfig config) {
        try (PluginHost host = PluginHost.load(config.plugins())) {
            return check(file, config, host);
        }
    }

    /**
     * The same over the extensions of {@code plugins}, already loaded (a reload checks with the running
     * ones: {@code check} has no side effects, so they may serve meanwhile).
     */
    public static List<String> check(ConfigFile file, ServerConfig config, PluginSet plugins) {
        List<String> problems = new ArrayList<>();
        try {
            requireLoadedPlugins(file, plugins.pluginIds());
        } catch (ConfigException e) {
            problems.add(e.getMessage());
        }
        try {
            ConfigFile.Entry chain = file.entries().get("server.chain");
            ChainOrder.check(plugins.handlers(), config.chain(), chain == null ? file.source() : file.where(chain));
        } catch (ConfigException e) {
            problems.add(e.getMessage());
        }
        certificateRule(file, config, plugins).ifPresent(problems::add);
        problems.addAll(ExtensionCheck.run(plugins.extensions(), file, config));
        return problems;
    }

    /**
     * Fail closed, before any plugin starts (the acme plugin would write its account key and contact its CA):
     * a plugin that provides certificates and has settings while HTTPS is off is a mistake, named at its
     * first setting; HTTPS with no certificate lines and no such plugin with settings has nothing to serve,
     * named at {@code server.https.port}. {@link #providedCertificates} checks again with what the started
     * plugins serve.
     */
    static Optional<String> certificateRule(ConfigFile file, ServerConfig config, PluginSet plugins) {
        List<String> configured = plugins.certificateProviders().stream().map(LoadedExtension::pluginId).distinct()
                .filter(id -> file.entries().keySet().stream().anyMatch(k -> k.startsWith(id + "."))).toList();
        if (config.https().isEmpty() && !configured.isEmpty()) {
            String id = configured.get(0);
            ConfigFile.Entry first = file.entries().values().stream().filter(e -> e.key().startsWith(id + ".")).findFirst().orElseThrow();
            return Optional.of(file.where(first) + ": " + first.key() + ": plugin " + id
                    + " provides HTTPS certificates, but HTTPS is off: set server.https.port (443, say)");
        }
        if (config.https().isPresent() && config.https().get().certificates().isEmpty() && configured.isEmpty()) {
            return Optional.of(where(file, "server.https.port") + ": server.https.port: " + HttpsConfig.NO_CERTIFICATE);
        }
        return Optional.empty();
    }

    /** The state of the server once it exists; starting until then. */
    private static Supplier<ServerState> serverState(AtomicReference<Server> server) {
        return () -> server.get() == null ? ServerState.STARTING : server.get().state();
    }

    /**
     * The certificates the plugins provide, each plugin's context wired to tell of its changes. Fail closed:
     * HTTPS without certificate lines and without a plugin that serves some name stops start-up at
     * {@code server.https.port}'s line; a plugin that serves names while HTTPS is off stops it at the
     * plugin's first setting (certificates nobody would serve are a mistake in the config).
     */
    private static ProvidedCertificates providedCertificates(ConfigFile file, ServerConfig config, PluginSet host,
                                                             Map<String, HostContext> contexts) {
        List<ProvidedCertificates.Source> sources = host.certificateProviders().stream()
                .map(p -> new ProvidedCertificates.Source(p.pluginId(), p.instance())).toList();
        ProvidedCertificates provided = new ProvidedCertificates(sources);
        for (ProvidedCertificates.Source s : sources) {
            HostContext context = contexts.get(s.pluginId());
            if (context != null) context.certificatesListener(() -> provided.changed(s.pluginId()));
        }
        List<String> serving = provided.servingPlugins();
        if (config.https().isEmpty()) {
            if (!serving.isEmpty()) {
                String id = serving.get(0);
                Optional<ConfigFile.Entry> first = file.entries().values().stream().filter(e -> e.key().startsWith(id + ".")).findFirst();
                throw new ConfigException(first.map(e -> file.where(e) + ": " + e.key()).orElse(file.source()) + ": plugin " + id
                        + " provides HTTPS certificates, but HTTPS is off: set server.https.port (443, say)");
            }
        } else if (config.https().get().certificates().isEmpty() && serving.isEmpty()) {
            throw new ConfigException(where(file, "server.https.port") + ": server.https.port: " + HttpsConfig.NO_CERTIFICATE);
        }
        if (config.https().isPresent() && !serving.isEmpty()) {
            Logger.info("HTTPS certificates from plugin{} {} for {}", serving.size() == 1 ? "" : "s", String.join(", ", serving),
                    String.join(", ", provided.hostNames()));
        }
        return provided;
    }

    private static void requireLoadedPlugins(ConfigFile file, List<String> loaded) {
        Set<String> seen = new LinkedHashSet<>();
        for (ConfigFile.Entry e : file.entries().values()) {
            int dot = e.key().indexOf('.');
            String prefix = dot < 0 ? e.key() : e.key().substring(0, dot);
            if (ServerConfig.CORE_PREFIXES.contains(prefix) || loaded.contains(prefix) || !seen.add(prefix)) continue;
            throw new ConfigException(file.where(e) + ": " + e.key() + ": no plugin '" + prefix + "' is loaded"
                    + " (loaded: " + (loaded.isEmpty() ? "none" : String.join(", ", loaded)) + "); Porta will not run"
                    + " with settings for a missing plugin");
        }
    }

    private static void startExtensions(PluginSet host, Map<String, HostContext> contexts, List<Lifecycle> started) {
        Set<String> failed = new LinkedHashSet<>();
        for (LoadedExtension<Lifecycle> ext : host.extensions()) {
            if (failed.contains(ext.pluginId())) continue;
            HostContext context = contexts.get(ext.pluginId());
            Lifecycle lifecycle = ext.instance();
            try {
                lifecycle.start(context);
                started.add(lifecycle);
            } catch (ConfigException e) {
                throw e;
            } catch (Exception | LinkageError e) {
                if (!context.configSettings().isEmpty()) {
                    throw new ConfigException("plugin " + ext.pluginId() + " failed to start, and the config has settings for it: " + e, e);
                }
                Logger.debug(e, "Plugin {} failed to start", ext.pluginId());
                Logger.error("Plugin {} failed to start and is left out: {}", ext.pluginId(), StartupError.describe(e));
                failed.add(ext.pluginId());
            }
        }
        for (String id : failed) host.drop(id);
    }

    private static String where(ConfigFile file, String key) {
        ConfigFile.Entry e = file.entries().get(key);
        return e == null ? file.source() : file.where(e);
    }

    private static String hostText(String host) {
        return host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
    }

    /**
     * Points the server log at {@code server.log-dir}: as a system property, which tinylog reads over its
     * properties file when it starts at the first log line ({@code Configuration.set} is refused once
     * anything has read the configuration). A user's own {@code -Dtinylog.writer2.file} wins.
     */
    private static void configureLogging(ServerConfig config) {
        if (System.getProperty("tinylog.writer2.file") == null && System.getProperty("tinylog.configuration") == null) {
            System.setProperty("tinylog.writer2.file", config.logDir().resolve("porta.log").toString());
        }
    }

    /** Flushes and closes the log writers (tinylog's own shutdown hook is off, so that no line is lost). */
    static void shutdownLogging() {
        try {
            ProviderRegistry.getLoggingProvider().shutdown();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The address Porta listens on. */
    public InetSocketAddress address() {
        return address;
    }

    /** The HTTPS address, when Porta listens for HTTPS. */
    public Optional<InetSocketAddress> httpsAddress() {
        try {
            return server.httpsAddress();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The number of open connections. */
    public int openConnections() {
        return server.openConnections();
    }

    /** The files and folders this Porta never serves (config, logs, data folders, keys). */
    public NeverServedFiles neverServed() {
        return neverServed;
    }

    /** Stops gracefully: the server (in-flight requests finish), then the extensions, then the plugins. */
    @Override
    public void close() {
        if (watcher != null) watcher.close();
        server.stop();
        deployment.close();
    }

    /** How long a jar in the plugins folder must stay the same before it is loaded. */
    static final Duration SETTLE = Duration.ofSeconds(1);

    /**
     * Reloads the config: {@code readFile} reads it anew and {@code readConfig} reads the core's settings
     * from it (with the command line's flags). Checked whole first; on a problem nothing changes. Whether
     * it was applied (the log says what happened).
     */
    public boolean reload(Supplier<ConfigFile> readFile, java.util.function.Function<ConfigFile, ServerConfig> readConfig) {
        boolean applied = new ConfigReload(deployment, server).reload(readFile, readConfig);
        if (applied && watcher != null) watcher.lookAgain();
        return applied;
    }

    /**
     * Applies the plugins folder as it is now, without waiting for its jars to settle: for tests that
     * change it many times (the watcher's settling is tested on its own).
     */
    void deployNow() {
        hotDeploy.syncNow(watched.orElseThrow(() -> new IllegalStateException("no plugins folder is watched")));
    }

    /** The running generation (for tests). */
    Generation generation() {
        return deployment.current();
    }

    /** The running plugins' versions by id (they change with hot deploy and reload). */
    public Map<String, String> pluginVersions() {
        return deployment.current().versions();
    }

    /** The plugin ids of the handler chain now, in order. */
    public List<String> handlerChain() {
        return deployment.current().chain();
    }

    /** How long one extension's {@code stop()} may take before Porta goes on without it. */
    public static final long STOP_MILLIS = 10_000;

    /**
     * Stops the extensions, last started first. Each {@code stop()} runs on a thread of its own and gets
     * {@link #STOP_MILLIS}: a plugin that hangs there must not keep Porta from exiting.
     */
    public static void stopExtensions(List<Lifecycle> extensions) {
        stopExtensions(extensions, STOP_MILLIS);
    }

    /** The same, giving each {@code stop()} {@code millisEach}. */
    static void stopExtensions(List<Lifecycle> extensions, long millisEach) {
        for (int i = extensions.size() - 1; i >= 0; i--) {
            Lifecycle extension = extensions.get(i);
            Thread stopping = Thread.ofPlatform().daemon().name("porta-stop-" + extension.getClass().getSimpleName()).start(() -> {
                try {
                    extension.stop();
                } catch (RuntimeException | LinkageError e) {
                    Logger.warn(e, "An extension did not stop cleanly");
                }
            });
            try {
                stopping.join(millisEach);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (stopping.isAlive()) {
                Logger.error("{} did not stop within {} ms: going on without it", extension.getClass().getName(), millisEach);
            }
        }
    }
}

package dev.porta.server.plugin;

import dev.porta.server.config.ConfigSettings;
import dev.porta.server.config.ServerConfig;
import dev.porta.spi.PluginContext;
import dev.porta.spi.ServerState;
import dev.porta.spi.Settings;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.tinylog.Logger;
import org.tinylog.TaggedLogger;

/**
 * The {@link PluginContext} Porta gives one plugin's extensions: for running them ({@link #HostContext}),
 * or for checking a config without side effects ({@link #forCheck}: the data folder is not created).
 */
public final class HostContext implements PluginContext {

    private final String pluginId;
    private final ConfigSettings settings;
    private final ServerConfig config;
    private final NeverServedFiles neverServed;
    private final TaggedLogger logger;
    private final DataFolder dataFolder;
    private final Supplier<ServerState> state;
    private volatile Map<String, String> plugins = Map.of();
    private volatile List<String> handlerChain = List.of();
    private volatile Runnable certificatesListener = () -> { };

    /** The context of plugin {@code pluginId}, for running it; {@code state} tells the server's state. */
    public HostContext(String pluginId, ConfigSettings settings, ServerConfig config, NeverServedFiles neverServed,
                       Supplier<ServerState> state) {
        this(pluginId, settings, config, neverServed, true, state);
    }

    private HostContext(String pluginId, ConfigSettings settings, ServerConfig config, NeverServedFiles neverServed,
                        boolean createsDataFolder, Supplier<ServerState> state) {
        this.pluginId = pluginId;
        this.state = state;
        this.settings = settings;
        this.config = config;
        this.neverServed = neverServed;
        this.logger = Logger.tag(pluginId);
        this.dataFolder = new DataFolder(config.dataDir(), pluginId, createsDataFolder);
    }

    /** The context of plugin {@code pluginId} for {@code Lifecycle.check}: it creates nothing. */
    public static HostContext forCheck(String pluginId, ConfigSettings settings, ServerConfig config, NeverServedFiles neverServed) {
        return new HostContext(pluginId, settings, config, neverServed, false, () -> ServerState.STARTING);
    }

    @Override
    public ServerState serverState() {
        return state.get();
    }

    @Override
    public String pluginId() {
        return pluginId;
    }

    @Override
    public Settings settings() {
        return settings;
    }

    /** The settings with their record of what was read. */
    public ConfigSettings configSettings() {
        return settings;
    }

    @Override
    public Path documentRoot() {
        return config.root();
    }

    @Override
    public Path dataDirectory() {
        return dataFolder.path();
    }

    @Override
    public TaggedLogger logger() {
        return logger;
    }

    @Override
    public Path logDirectory() {
        return config.logDir();
    }

    @Override
    public InetAddress listenAddress() {
        try {
            return InetAddress.getByName(config.host());
        } catch (UnknownHostException e) {
            throw new IllegalStateException("listen address " + config.host() + " does not resolve", e);
        }
    }

    @Override
    public void neverServe(Path file) {
        neverServed.add(file);
    }

    @Override
    public boolean isNeverServed(Path file) {
        return neverServed.contains(file);
    }

    /** Tells the plugin which plugins run (id to version, in load order) and the chain, once it is built. */
    public void describeServer(Map<String, String> plugins, List<String> handlerChain) {
        this.plugins = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(plugins));
        this.handlerChain = List.copyOf(handlerChain);
    }

    /** Who hears of {@link #certificatesChanged()}: the HTTPS listener's memory of this plugin's certificates. */
    public void certificatesListener(Runnable listener) {
        this.certificatesListener = listener;
    }

    @Override
    public void certificatesChanged() {
        certificatesListener.run();
    }

    @Override
    public String serverVersion() {
        String version = HostContext.class.getPackage().getImplementationVersion();
        return version == null ? "unknown" : version;
    }

    @Override
    public Map<String, String> plugins() {
        return plugins;
    }

    @Override
    public List<String> handlerChain() {
        return handlerChain;
    }
}

package dev.porta.server;

import dev.porta.server.config.CommandLine;
import dev.porta.server.config.ConfigFile;
import dev.porta.server.config.ServerConfig;
import dev.porta.server.plugin.CombinedPlugins;
import dev.porta.server.plugin.ExtensionCheck;
import dev.porta.server.plugin.InProcessPlugins;
import dev.porta.server.plugin.NeverServedFiles;
import dev.porta.server.plugin.PluginHost;
import dev.porta.server.plugin.PluginSet;
import dev.porta.spi.CertificateProvider;
import dev.porta.spi.CompletedExchange;
import dev.porta.spi.ConnectionObserver;
import dev.porta.spi.ExchangeObserver;
import dev.porta.spi.Handler;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A real Porta in this JVM, started by {@link Porta#start(ConfigFile, ServerConfig, PluginSet)} like the
 * one the launcher runs: for tests and for the testkit. Listens on a free loopback port unless the config
 * names one; its extensions are instances given with their plugin ids, plugin jars from a folder, or both.
 *
 * <pre>{@code
 * try (EmbeddedPorta porta = EmbeddedPorta.builder(root).handler("hello", new Hello()).start()) {
 *     HttpResponse<String> r = client.send(HttpRequest.newBuilder(porta.uri("/")).build(), ofString());
 * }
 * }</pre>
 */
public final class EmbeddedPorta implements AutoCloseable {

    private final Porta porta;
    private final List<CompletedExchange> exchanges;
    private final ServerConfig config;

    private final Builder builder;

    private EmbeddedPorta(Porta porta, List<CompletedExchange> exchanges, ServerConfig config, Builder builder) {
        this.porta = porta;
        this.builder = builder;
        this.exchanges = exchanges;
        this.config = config;
    }

    /** A Porta serving the site folder {@code root}. */
    public static Builder builder(Path root) {
        return new Builder(root);
    }

    /** Builds an {@link EmbeddedPorta}. */
    public static final class Builder {
        private final Path root;
        private String config = "";
        private String host = "127.0.0.1";
        private Path home = Path.of("");
        private Path pluginJars;
        private final InProcessPlugins inProcess = new InProcessPlugins();

        private Builder(Path root) {
            this.root = root;
        }

        /** Config text in the format of {@code porta.properties}. */
        public Builder config(String text) {
            this.config = text;
            return this;
        }

        /** The address to listen on (default 127.0.0.1; "::" for IPv6 and IPv4). */
        public Builder host(String address) {
            this.host = address;
            return this;
        }

        /** Porta's home, against which the config's relative paths are taken (default: the current directory). */
        public Builder home(Path folder) {
            this.home = folder;
            return this;
        }

        /** Loads the plugin jars of {@code folder} too, as Porta loads its {@code plugins/} folder. */
        public Builder pluginJars(Path folder) {
            this.pluginJars = folder;
            return this;
        }

        /** Adds a handler of plugin {@code pluginId}, in chain order. */
        public Builder handler(String pluginId, Handler handler) {
            inProcess.handler(pluginId, handler);
            return this;
        }

        /** Adds an observer of plugin {@code pluginId}. */
        public Builder observer(String pluginId, ExchangeObserver observer) {
            inProcess.observer(pluginId, observer);
            return this;
        }

        /** Adds a connection observer of plugin {@code pluginId}. */
        public Builder connectionObserver(String pluginId, ConnectionObserver observer) {
            inProcess.connectionObserver(pluginId, observer);
            return this;
        }

        /** Adds a certificate provider of plugin {@code pluginId} (for HTTPS), after those added before. */
        public Builder certificateProvider(String pluginId, CertificateProvider provider) {
            inProcess.certificateProvider(pluginId, provider);
            return this;
        }

        private ConfigFile file() {
            return ConfigFile.parse("test.properties", config, home);
        }

        private ServerConfig serverConfig(ConfigFile file) {
            // a free port, unless the config says (server.port = off for HTTPS only)
            OptionalInt port = file.entries().containsKey("server.port") ? OptionalInt.empty() : OptionalInt.of(0);
            return ServerConfig.read(file, new CommandLine(Optional.empty(), port, Optional.of(root), Optional.empty(), Optional.of(host)));
        }

        private PluginSet plugins() {
            return pluginJars == null ? inProcess : new CombinedPlugins(PluginHost.load(pluginJars), inProcess);
        }

        /**
         * Runs the extensions' {@code check} over the config instead of starting anything, as Porta checks
         * a config: the problems found, each {@code test.properties:LINE: ...}; empty when there are none.
         */
        public List<String> check() {
            ConfigFile file = file();
            try (PluginSet plugins = plugins()) {
                return ExtensionCheck.run(plugins.extensions(), file, serverConfig(file));
            }
        }

        /** Starts the extensions and the server, as Porta does. */
        public EmbeddedPorta start() {
            ConfigFile file = file();
            ServerConfig serverConfig = serverConfig(file);
            List<CompletedExchange> exchanges = new CopyOnWriteArrayList<>();
            try {
                Porta porta = Porta.start(file, serverConfig, plugins(), exchanges::add, Optional.ofNullable(pluginJars));
                return new EmbeddedPorta(porta, exchanges, serverConfig, this);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /** The Porta inside (for the server's own tests). */
    Porta porta() {
        return porta;
    }

    /** The HTTP port (the configured one, or the free one taken). */
    public int port() {
        return porta.address().getPort();
    }

    /** The HTTPS port (-1 without HTTPS). */
    public int httpsPort() {
        return porta.httpsAddress().map(a -> a.getPort()).orElse(-1);
    }

    /** {@code http://127.0.0.1:PORT} + {@code pathAndQuery} (already encoded). */
    public URI uri(String pathAndQuery) {
        return URI.create("http://127.0.0.1:" + port() + pathAndQuery);
    }

    /** {@code https://localhost:HTTPS-PORT} + {@code pathAndQuery} (already encoded). */
    public URI httpsUri(String pathAndQuery) {
        return URI.create("https://localhost:" + httpsPort() + pathAndQuery);
    }

    /** The exchanges finished so far, as observers saw them. */
    public List<CompletedExchange> exchanges() {
        return exchanges;
    }

    /** Waits up to 5 s until observers saw {@code count} exchanges; the exchanges seen by then. */
    public List<CompletedExchange> awaitExchanges(int count) throws InterruptedException {
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (exchanges.size() < count && System.nanoTime() < deadline) Thread.sleep(5);
        return List.copyOf(exchanges);
    }

    /** The files and folders registered as never to be served (the log and data folders among them). */
    public NeverServedFiles neverServed() {
        return porta.neverServed();
    }

    /** The folder of the log files ({@code server.log-dir}, by default {@code logs/} under the home). */
    public Path logDirectory() {
        return config.logDir();
    }

    /** The number of open connections. */
    public int openConnections() {
        return porta.openConnections();
    }

    /**
     * Reloads with {@code configText} as the new config (as SIGHUP does with the config file): checked
     * first, and on a problem nothing changes. Whether it was applied.
     */
    public boolean reload(String configText) {
        return porta.reload(() -> ConfigFile.parse("test.properties", configText, builder.home),
                file -> builder.serverConfig(file));
    }

    /** The running plugins' versions by id (hot deploy and reload change them). */
    public java.util.Map<String, String> pluginVersions() {
        return porta.pluginVersions();
    }

    /** The plugin ids of the handler chain now, in order. */
    public List<String> handlerChain() {
        return porta.handlerChain();
    }

    /** Stops gracefully (as SIGTERM would): the server, then the extensions, then the plugins. */
    @Override
    public void close() {
        porta.close();
    }
}

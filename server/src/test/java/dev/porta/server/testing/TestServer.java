package dev.porta.server.testing;

import dev.porta.server.Server;
import dev.porta.server.config.CommandLine;
import dev.porta.server.config.ConfigFile;
import dev.porta.server.config.ConfigSettings;
import dev.porta.server.config.ServerConfig;
import dev.porta.server.pipeline.ErrorPages;
import dev.porta.server.pipeline.Pipeline;
import dev.porta.server.plugin.ExtensionCheck;
import dev.porta.server.plugin.HostContext;
import dev.porta.server.plugin.LoadedExtension;
import dev.porta.server.plugin.NeverServedFiles;
import dev.porta.server.tls.Certificates;
import dev.porta.spi.CompletedExchange;
import dev.porta.spi.ConnectionObserver;
import dev.porta.spi.ExchangeObserver;
import dev.porta.spi.Handler;
import dev.porta.spi.Lifecycle;
import dev.porta.spi.ServerState;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A real Porta server on a free loopback port for tests: the handlers and observers given, started with
 * their settings from config text exactly as Porta would, in this JVM.
 *
 * <pre>{@code
 * try (TestServer server = TestServer.builder(root).handler("static-index", new StaticIndex()).start()) {
 *     HttpResponse<String> r = client.send(HttpRequest.newBuilder(server.uri("/")).build(), ofString());
 * }
 * }</pre>
 */
public final class TestServer implements AutoCloseable {

    private final Server server;
    private final List<Lifecycle> extensions;
    private final List<CompletedExchange> exchanges;
    private final NeverServedFiles neverServed;
    private final int port;
    private final int httpsPort;

    private TestServer(Server server, List<Lifecycle> extensions, List<CompletedExchange> exchanges,
                       NeverServedFiles neverServed, int port, int httpsPort) {
        this.server = server;
        this.httpsPort = httpsPort;
        this.extensions = extensions;
        this.exchanges = exchanges;
        this.neverServed = neverServed;
        this.port = port;
    }

    /** A server serving {@code root}. */
    public static Builder builder(Path root) {
        return new Builder(root);
    }

    /** Builds a {@link TestServer}. */
    public static final class Builder {
        private final Path root;
        private String config = "";
        private String host = "127.0.0.1";
        private final Map<Handler, String> handlers = new LinkedHashMap<>();
        private final Map<ExchangeObserver, String> observers = new LinkedHashMap<>();
        private final Map<ConnectionObserver, String> connectionObservers = new LinkedHashMap<>();

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

        /** Adds a handler of plugin {@code pluginId}, in chain order. */
        public Builder handler(String pluginId, Handler handler) {
            handlers.put(handler, pluginId);
            return this;
        }

        /** Adds an observer of plugin {@code pluginId}. */
        public Builder observer(String pluginId, ExchangeObserver observer) {
            observers.put(observer, pluginId);
            return this;
        }

        /** Adds a connection observer of plugin {@code pluginId}. */
        public Builder connectionObserver(String pluginId, ConnectionObserver observer) {
            connectionObservers.put(observer, pluginId);
            return this;
        }

        /**
         * Runs the extensions' {@code check} over the config instead of starting anything, as Porta checks
         * a config: the problems found, each {@code test.properties:LINE: ...}; empty when there are none.
         */
        public List<String> check() {
            ConfigFile file = ConfigFile.parse("test.properties", config);
            List<LoadedExtension<Lifecycle>> extensions = new ArrayList<>();
            handlers.forEach((handler, id) -> extensions.add(new LoadedExtension<>(id, 0, handler)));
            observers.forEach((observer, id) -> extensions.add(new LoadedExtension<>(id, 0, observer)));
            connectionObservers.forEach((observer, id) -> extensions.add(new LoadedExtension<>(id, 0, observer)));
            return ExtensionCheck.run(extensions, file, serverConfig(file));
        }

        private ServerConfig serverConfig(ConfigFile file) {
            // a free port, unless the config says (server.port = off for HTTPS only)
            OptionalInt port = file.entries().containsKey("server.port") ? OptionalInt.empty() : OptionalInt.of(0);
            CommandLine flags = new CommandLine(Optional.empty(), port, Optional.of(root), Optional.empty(),
                    Optional.of(host));
            return ServerConfig.read(file, flags);
        }

        /** Starts the extensions and the server. */
        public TestServer start() {
            ConfigFile file = ConfigFile.parse("test.properties", config);
            ServerConfig serverConfig = serverConfig(file);
            NeverServedFiles neverServed = NeverServedFiles.forServer(serverConfig);
            Map<String, HostContext> contexts = new LinkedHashMap<>();
            List<Lifecycle> started = new ArrayList<>();
            AtomicReference<Server> serverRef = new AtomicReference<>();
            List<Pipeline.Step> steps = new ArrayList<>();
            List<Pipeline.Watcher> watchers = new ArrayList<>();
            List<Pipeline.ConnectionWatcher> connectionWatchers = new ArrayList<>();
            List<CompletedExchange> exchanges = new CopyOnWriteArrayList<>();
            watchers.add(new Pipeline.Watcher("test", exchanges::add));
            try {
                for (Map.Entry<Handler, String> h : handlers.entrySet()) {
                    h.getKey().start(context(contexts, h.getValue(), file, serverConfig, neverServed, serverRef));
                    started.add(h.getKey());
                    steps.add(new Pipeline.Step(h.getValue(), h.getKey()));
                }
                for (Map.Entry<ConnectionObserver, String> o : connectionObservers.entrySet()) {
                    o.getKey().start(context(contexts, o.getValue(), file, serverConfig, neverServed, serverRef));
                    started.add(o.getKey());
                    connectionWatchers.add(new Pipeline.ConnectionWatcher(o.getValue(), o.getKey()));
                }
                for (Map.Entry<ExchangeObserver, String> o : observers.entrySet()) {
                    o.getKey().start(context(contexts, o.getValue(), file, serverConfig, neverServed, serverRef));
                    started.add(o.getKey());
                    watchers.add(new Pipeline.Watcher(o.getValue(), o.getKey()));
                }
            } catch (RuntimeException e) {
                throw e;
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
            for (HostContext c : contexts.values()) c.configSettings().rejectUnread();
            Certificates certificates = serverConfig.https().map(h -> Certificates.load(h, neverServed::add)).orElse(null);
            Map<String, String> versions = new LinkedHashMap<>();
            for (String id : contexts.keySet()) versions.put(id, "test");
            List<String> chain = steps.stream().map(Pipeline.Step::pluginId).toList();
            for (HostContext c : contexts.values()) c.describeServer(versions, chain);
            Server server = new Server(serverConfig, new Pipeline(steps, watchers, connectionWatchers,
                    new ErrorPages(serverConfig.root(), serverConfig.errorPages(), neverServed::contains), neverServed::contains), certificates);
            serverRef.set(server);
            try {
                int port = server.start().getPort();
                int httpsPort = server.httpsAddress().map(a -> a.getPort()).orElse(-1);
                return new TestServer(server, started, exchanges, neverServed, port, httpsPort);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        private static HostContext context(Map<String, HostContext> contexts, String id, ConfigFile file,
                                           ServerConfig config, NeverServedFiles neverServed, AtomicReference<Server> server) {
            return contexts.computeIfAbsent(id, k -> new HostContext(k, new ConfigSettings(file, k), config, neverServed,
                    () -> server.get() == null ? ServerState.STARTING : server.get().state()));
        }
    }

    /** The port. */
    public int port() {
        return port;
    }

    /** The HTTPS port (-1 without HTTPS). */
    public int httpsPort() {
        return httpsPort;
    }

    /** {@code https://localhost:HTTPS-PORT} + {@code pathAndQuery} (already encoded). */
    public URI httpsUri(String pathAndQuery) {
        return URI.create("https://localhost:" + httpsPort + pathAndQuery);
    }

    /** {@code http://127.0.0.1:PORT} + {@code pathAndQuery} (already encoded). */
    public URI uri(String pathAndQuery) {
        return URI.create("http://127.0.0.1:" + port + pathAndQuery);
    }

    /** The exchanges finished so far, as observers saw them. */
    public List<CompletedExchange> exchanges() {
        return exchanges;
    }

    /** Waits up to 5 s until observers saw {@code count} exchanges. */
    public List<CompletedExchange> awaitExchanges(int count) throws InterruptedException {
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (exchanges.size() < count && System.nanoTime() < deadline) Thread.sleep(5);
        return List.copyOf(exchanges);
    }

    /** The files and folders registered as never to be served (the log and data folders among them). */
    public NeverServedFiles neverServed() {
        return neverServed;
    }

    /** The number of open connections. */
    public int openConnections() {
        return server.openConnections();
    }

    /** Stops the server gracefully (as SIGTERM would), then the extensions. */
    @Override
    public void close() {
        server.stop();
        for (int i = extensions.size() - 1; i >= 0; i--) extensions.get(i).stop();
    }
}

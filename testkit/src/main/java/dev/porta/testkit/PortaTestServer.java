package dev.porta.testkit;

import dev.porta.server.EmbeddedPorta;
import dev.porta.server.plugin.NeverServedFiles;
import dev.porta.spi.CompletedExchange;
import dev.porta.spi.CertificateProvider;
import dev.porta.spi.ConnectionObserver;
import dev.porta.spi.ExchangeObserver;
import dev.porta.spi.Handler;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;

/**
 * A real Porta for a plugin's tests, running in the test's JVM on a free loopback port: started by the
 * same start-up code as the {@code porta} launcher's server (settings checked, extensions started, the
 * handler chain built), with the plugin under test given as instances ({@link Builder#handler}) or as its
 * built jar ({@link Builder#pluginJar}), a site folder and config text of the test's choosing.
 * AutoCloseable, so a JUnit test reads:
 *
 * <pre>{@code
 * @Test
 * void greets(@TempDir Path site) throws Exception {
 *     try (PortaTestServer porta = PortaTestServer.builder(site)
 *             .config("hello.greeting = Hi\n")
 *             .handler("hello", new HelloHandler())
 *             .start()) {
 *         HttpResponse<String> r = porta.get("/hello");
 *         assertEquals(200, r.statusCode());
 *         assertEquals("Hi", r.body());
 *         assertEquals(200, porta.awaitExchanges(1).get(0).status());
 *     }
 * }
 * }</pre>
 *
 * Porta's home (the folder that holds {@code logs/} and {@code data/} unless the config says otherwise) is
 * a fresh temporary folder unless {@link Builder#home} names one. The server log (Porta's lines and the
 * plugins' {@code context.logger()} lines) goes to the console and to {@link #serverLog()}.
 */
public final class PortaTestServer implements AutoCloseable {

    /** The system property naming the file the testkit's tinylog configuration writes the server log to. */
    public static final String LOG_PROPERTY = "porta.testkit.log";

    static {
        if (System.getProperty(LOG_PROPERTY) == null) {
            try {
                Path log = Files.createTempFile("porta-test-server", ".log");
                log.toFile().deleteOnExit();
                System.setProperty(LOG_PROPERTY, log.toString());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    private final EmbeddedPorta porta;
    private final Path home;
    private final long logStart;
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private PortaTestServer(EmbeddedPorta porta, Path home, long logStart) {
        this.porta = porta;
        this.home = home;
        this.logStart = logStart;
    }

    /** A Porta serving the site folder {@code siteFolder}. */
    public static Builder builder(Path siteFolder) {
        return new Builder(siteFolder);
    }

    /** Says what the {@link PortaTestServer} runs: config, extensions, plugin jars; then starts it. */
    public static final class Builder {
        private final EmbeddedPorta.Builder embedded;
        private Path home;
        private Path jars;

        private Builder(Path siteFolder) {
            this.embedded = EmbeddedPorta.builder(siteFolder);
        }

        /** Config text in the format of {@code porta.properties}: the plugin's settings, {@code server.*} keys. */
        public Builder config(String text) {
            embedded.config(text);
            return this;
        }

        /** The address to listen on (default 127.0.0.1; "::" for IPv6 and IPv4). */
        public Builder host(String address) {
            embedded.host(address);
            return this;
        }

        /** Porta's home, against which the config's relative paths are taken (default: a new temporary folder). */
        public Builder home(Path folder) {
            this.home = folder;
            return this;
        }

        /**
         * Loads a built plugin jar as Porta loads {@code plugins/}: through PF4J, with its manifest, its
         * extensions index and its own class loader. May be called for several jars.
         */
        public Builder pluginJar(Path jar) {
            try {
                if (jars == null) {
                    jars = Files.createTempDirectory("porta-test-plugins");
                    embedded.pluginJars(jars);
                }
                Files.copy(jar, jars.resolve(jar.getFileName()), StandardCopyOption.REPLACE_EXISTING);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return this;
        }

        /** Adds a handler of plugin {@code pluginId} (its settings are the keys {@code pluginId.*}), in chain order. */
        public Builder handler(String pluginId, Handler handler) {
            embedded.handler(pluginId, handler);
            return this;
        }

        /** Adds an exchange observer of plugin {@code pluginId}. */
        public Builder observer(String pluginId, ExchangeObserver observer) {
            embedded.observer(pluginId, observer);
            return this;
        }

        /** Adds a connection observer of plugin {@code pluginId}. */
        public Builder connectionObserver(String pluginId, ConnectionObserver observer) {
            embedded.connectionObserver(pluginId, observer);
            return this;
        }

        /** Adds a certificate provider of plugin {@code pluginId}, for HTTPS ({@code server.https.port} in the config). */
        public Builder certificateProvider(String pluginId, CertificateProvider provider) {
            embedded.certificateProvider(pluginId, provider);
            return this;
        }

        /**
         * Runs the extensions' {@code check} over the config instead of starting anything, as Porta checks
         * a config: the problems found, each {@code test.properties:LINE: ...}; empty when there are none.
         */
        public List<String> check() {
            embedded.home(home());
            return embedded.check();
        }

        /** Starts the extensions and the server; {@code ConfigException} when a setting is refused. */
        public PortaTestServer start() {
            Path h = home();
            embedded.home(h);
            long logStart = logSize();
            return new PortaTestServer(embedded.start(), h, logStart);
        }

        private Path home() {
            try {
                if (home == null) home = Files.createTempDirectory("porta-test-home");
                return home;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /** The HTTP port. */
    public int port() {
        return porta.port();
    }

    /** The HTTPS port (-1 without HTTPS). */
    public int httpsPort() {
        return porta.httpsPort();
    }

    /** {@code http://127.0.0.1:PORT} + {@code pathAndQuery} (already encoded). */
    public URI uri(String pathAndQuery) {
        return porta.uri(pathAndQuery);
    }

    /** {@code https://localhost:HTTPS-PORT} + {@code pathAndQuery} (already encoded). */
    public URI httpsUri(String pathAndQuery) {
        return porta.httpsUri(pathAndQuery);
    }

    /** A JDK HTTP client (HTTP/1.1 is what Porta speaks; it follows no redirects). */
    public HttpClient client() {
        return client;
    }

    /** GETs {@code pathAndQuery} with {@link #client()}; the response with its body as text. */
    public HttpResponse<String> get(String pathAndQuery) throws IOException, InterruptedException {
        return client.send(HttpRequest.newBuilder(uri(pathAndQuery)).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** The exchanges finished so far, as observers saw them, in the order they finished. */
    public List<CompletedExchange> exchanges() {
        return porta.exchanges();
    }

    /** Waits up to 5 s until {@code count} exchanges finished; the exchanges seen by then. */
    public List<CompletedExchange> awaitExchanges(int count) throws InterruptedException {
        return porta.awaitExchanges(count);
    }

    /** The files and folders Porta never serves (the config, log and data folders among them). */
    public NeverServedFiles neverServed() {
        return porta.neverServed();
    }

    /** The number of open connections. */
    public int openConnections() {
        return porta.openConnections();
    }

    /** Porta's home: its {@code logs/} and {@code data/} are under it unless the config moves them. */
    public Path home() {
        return home;
    }

    /**
     * The lines of the access log so far, when the request-log plugin runs with its default file
     * ({@code logs/access.log}); empty when there is none yet. The plugin writes from a thread of its own:
     * a test that just sent a request waits for the line, e.g. by polling.
     */
    public List<String> accessLog() {
        Path file = porta.logDirectory().resolve("access.log");
        try {
            return Files.exists(file) ? Files.readAllLines(file) : List.of();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The server log lines written since this server began to start, {@code LEVEL [TAG] message} (the tag
     * is the plugin id for a plugin's {@code context.logger()} lines, {@code porta} for the server's), e.g.
     * {@code INFO  [hello] greets with 'Hi'}; empty when the test's classpath has a tinylog configuration
     * of its own (a {@code tinylog-test.properties} before the testkit's) that writes no such file.
     */
    public List<String> serverLog() {
        Path file = Path.of(System.getProperty(LOG_PROPERTY));
        try {
            if (!Files.exists(file)) return List.of();
            byte[] all = Files.readAllBytes(file);
            int from = (int) Math.min(logStart, all.length);
            return new String(all, from, all.length - from, StandardCharsets.UTF_8).lines().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static long logSize() {
        try {
            Path file = Path.of(System.getProperty(LOG_PROPERTY));
            return Files.exists(file) ? Files.size(file) : 0;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Stops gracefully (as SIGTERM would): the server, then the extensions, then the plugins. */
    @Override
    public void close() {
        porta.close();
    }
}

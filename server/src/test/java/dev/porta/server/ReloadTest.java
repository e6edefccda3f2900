package dev.porta.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.porta.server.config.CommandLine;
import dev.porta.server.config.ConfigFile;
import dev.porta.server.config.ServerConfig;
import dev.porta.server.deploy.RunningPlugin;
import dev.porta.server.deploy.sample.ProvidesCertificates;
import dev.porta.server.deploy.sample.VersionHandler;
import dev.porta.server.plugin.sample.CheckedGreeting;
import dev.porta.server.testing.ClientLoop;
import dev.porta.server.testing.PluginJar;
import java.io.IOException;
import java.net.ConnectException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Config reload over real sockets: checked first, applied for new exchanges, plugins restarted, fail closed. */
@Timeout(60)
class ReloadTest {

    @TempDir
    Path dir;

    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private String base() {
        return "server.plugins.watch = off\nserver.data-dir = " + dir.resolve("data") + "\nserver.log-dir = " + dir.resolve("logs") + "\n";
    }

    private EmbeddedPorta start(String config) throws IOException {
        Path plugins = dir.resolve("plugins");
        PluginJar.of("hello").requires(">=1.0.0 & <2.0.0").extension(VersionHandler.class).resource("dev/porta/server/deploy/sample/version.txt", "1.0.0").writeTo(plugins);
        PluginJar.of("greeting").requires(">=1.0.0 & <2.0.0").extension(CheckedGreeting.class).writeTo(plugins);
        Path root = Files.createDirectories(dir.resolve("www"));
        return EmbeddedPorta.builder(root).home(dir).pluginJars(plugins).config(base() + config).start();
    }

    private String get(int port, String path) throws IOException, InterruptedException {
        HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString());
        return r.statusCode() + " " + r.body();
    }

    private ClassLoader loaderOf(EmbeddedPorta porta, String id) {
        return porta.porta().generation().plugins().get(id).handlers().get(0).instance().getClass().getClassLoader();
    }

    @Test
    void aConfigWithAProblemChangesNothing() throws Exception {
        try (EmbeddedPorta porta = start("hello.note = one\n")) {
            assertFalse(porta.reload(base() + "hello.note = two\nserver.bogus = 1\n"), "an unknown core key");
            assertFalse(porta.reload(base() + "hello.note = two\ngreeting.greeting =\n"), "a plugin's check refuses its setting");
            assertFalse(porta.reload(base() + "hello.note = two\nnobody.key = 1\n"), "settings for a plugin that is not loaded");
            assertFalse(porta.reload(base() + "hello.note = two\nserver.chain = hello\n"), "a chain that leaves a handler out");
            assertFalse(porta.reload(base() + "hello.note = two\nthis is no config line\n"), "a line that does not parse");
            assertEquals("200 hello 1.0.0 one", get(porta.port(), "/v/hello"));
            assertEquals(0, porta.porta().generation().number(), "no new generation");
        }
    }

    @Test
    void aGoodConfigIsAppliedAndOnlyThePluginsWhoseSettingsChangedAreStartedAnew() throws Exception {
        try (EmbeddedPorta porta = start("hello.note = one\ngreeting.greeting = hi\n")) {
            ClassLoader greeting = loaderOf(porta, "greeting");
            ClassLoader hello = loaderOf(porta, "hello");
            Files.writeString(dir.resolve("www/custom.html"), "custom 404");
            assertTrue(porta.reload(base() + "hello.note = two\ngreeting.greeting = hi\nerrors.404 = custom.html\n"));
            assertEquals("200 hello 1.0.0 two", get(porta.port(), "/v/hello"));
            assertEquals("200 hi", get(porta.port(), "/greeting"));
            assertSame(greeting, loaderOf(porta, "greeting"), "unchanged settings: the same running plugin");
            assertNotEquals(hello, loaderOf(porta, "hello"), "changed settings: started anew from its jar");
            assertEquals("404 custom 404", get(porta.port(), "/missing"), "the core's settings apply too");
        }
    }

    @Test
    void aPluginThatDoesNotStartWithItsNewSettingsKeepsTheWholeRunningConfiguration() throws Exception {
        try (EmbeddedPorta porta = start("hello.note = one\ngreeting.greeting = hi\n")) {
            assertFalse(porta.reload(base() + "hello.note = two\nhello.fail = yes\ngreeting.greeting = hey\n"));
            assertEquals("200 hello 1.0.0 one", get(porta.port(), "/v/hello"));
            assertEquals("200 hi", get(porta.port(), "/greeting"), "the other plugin's change is not applied either");
        }
    }

    @Test
    void keysThatNeedARestartAreKeptAndTheRestIsApplied() throws Exception {
        try (EmbeddedPorta porta = start("hello.note = one\n")) {
            Path data = porta.porta().generation().config().dataDir();
            String moved = "server.plugins.watch = off\nserver.data-dir = " + dir.resolve("data2") + "\nserver.log-dir = "
                    + dir.resolve("logs2") + "\nserver.plugins = " + dir.resolve("elsewhere") + "\n";
            assertTrue(porta.reload(moved + "hello.note = two\n"));
            assertEquals("200 hello 1.0.0 two", get(porta.port(), "/v/hello"));
            assertEquals(data, porta.porta().generation().config().dataDir());
            assertEquals(dir.resolve("plugins"), porta.porta().generation().config().plugins());
        }
    }

    @Test
    void aNewPortIsListenedOnBeforeTheOldOneCloses() throws Exception {
        try (EmbeddedPorta porta = start("hello.note = one\n")) {
            int old = porta.port();
            int fresh;
            try (ServerSocket probe = new ServerSocket(0)) {
                fresh = probe.getLocalPort();
            }
            assertTrue(porta.reload(base() + "server.port = " + fresh + "\nhello.note = two\n"));
            assertEquals("200 hello 1.0.0 two", get(fresh, "/v/hello"));
            assertThrows(ConnectException.class, () -> get(old, "/v/hello"));
            // a port that is taken: nothing changes
            try (ServerSocket taken = new ServerSocket(0)) {
                assertFalse(porta.reload(base() + "server.port = " + taken.getLocalPort() + "\nhello.note = three\n"));
            }
            assertEquals("200 hello 1.0.0 two", get(fresh, "/v/hello"));
        }
    }

    @Test
    void aNewPortReloadedFromADaemonThreadIsAcceptedOnAThreadThatKeepsTheJvmAlive() throws Exception {
        // SIGHUP's handler runs on a daemon thread: the new listener's acceptor must not inherit that, or the JVM
        // ends when the old acceptor does (the outage an outside tester saw: "Shutting down" right after the reload)
        try (EmbeddedPorta porta = start("hello.note = one\n")) {
            int fresh;
            try (ServerSocket probe = new ServerSocket(0)) {
                fresh = probe.getLocalPort();
            }
            AtomicBoolean applied = new AtomicBoolean();
            Thread reload = Thread.ofPlatform().daemon().start(() -> applied.set(porta.reload(base() + "server.port = " + fresh + "\n"
                    + "hello.note = two\n")));
            reload.join();
            assertTrue(applied.get());
            assertEquals("200 hello 1.0.0 two", get(fresh, "/v/hello"));
            List<Thread> acceptors = Thread.getAllStackTraces().keySet().stream()
                    .filter(t -> t.getName().equals("porta-accept") && t.isAlive()).toList();
            assertFalse(acceptors.isEmpty());
            for (Thread t : acceptors) assertFalse(t.isDaemon(), t + " is a daemon: nothing would keep Porta's JVM alive");
        }
    }

    @Test
    void aPluginThatProvidesCertificatesIsNotStartedAnewAndANewSiteFolderIsAppliedAllTheSame() throws Exception {
        Path plugins = dir.resolve("plugins");
        PluginJar.of("hello").requires(">=1.0.0 & <2.0.0").extension(VersionHandler.class).resource("dev/porta/server/deploy/sample/version.txt", "1.0.0").writeTo(plugins);
        PluginJar.of("certs").extension(ProvidesCertificates.class).writeTo(plugins);
        Path www = Files.createDirectories(dir.resolve("www"));
        Path www2 = Files.createDirectories(dir.resolve("www2"));
        // no --root flag (EmbeddedPorta has one): the site folder comes from the file, as in a real porta.properties
        CommandLine flags = new CommandLine(Optional.empty(), OptionalInt.of(0), Optional.empty(), Optional.empty(), Optional.empty());
        String head = base() + "server.plugins = " + plugins + "\n";
        ConfigFile first = ConfigFile.parse("test.properties", head + "server.root = " + www + "\nhello.note = one\n", dir);
        Porta porta = Porta.start(first, ServerConfig.read(first, flags));
        try {
            int port = porta.address().getPort();
            RunningPlugin certs = porta.generation().plugins().get("certs");
            assertEquals(www, porta.generation().config().root());
            assertTrue(porta.reload(() -> ConfigFile.parse("test.properties", head + "server.root = " + www2 + "\nhello.note = two\n", dir),
                    file -> ServerConfig.read(file, flags)), "a certificate provider that cannot be restarted does not refuse the reload");
            assertEquals(www2, porta.generation().config().root(), "the new site folder");
            assertEquals("200 hello 1.0.0 two", get(port, "/v/hello"), "the other plugins are started anew with the new context");
            assertSame(certs, porta.generation().plugins().get("certs"), "the certificate provider keeps running as it is");
            assertEquals(200, client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/certs")).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode());
        } finally {
            porta.close();
        }
    }

    @Test
    void anExchangeInFlightFinishesWithTheOldConfiguration() throws Exception {
        try (EmbeddedPorta porta = start("hello.note = one\nhello.slow = 1000\n")) {
            CompletableFuture<HttpResponse<String>> inFlight = client.sendAsync(
                    HttpRequest.newBuilder(porta.uri("/v/hello")).build(), HttpResponse.BodyHandlers.ofString());
            Thread.sleep(300);
            assertTrue(porta.reload(base() + "hello.note = two\n"));
            assertEquals("200 hello 1.0.0 two", get(porta.port(), "/v/hello"));
            assertEquals("hello 1.0.0 one", inFlight.get().body());
        }
    }

    @Test
    void noRequestFailsWhileTheConfigIsReloadedTwentyTimes() throws Exception {
        try (EmbeddedPorta porta = start("hello.note = a\n")) {
            ClientLoop clients = ClientLoop.start(4, () -> get(porta.port(), "/v/hello"), answer -> answer.startsWith("200 hello 1.0.0 "));
            String[] configs = {"hello.note = b\n", "hello.note = a\n", "hello.note = c\nhello.bogus = 1\n"};
            int applied = 0;
            for (int i = 0; i < 20; i++) {
                if (porta.reload(base() + configs[i % 3])) applied++;
                Thread.sleep(30);
            }
            clients.close();
            assertEquals(List.of(), clients.failures());
            assertEquals(14, applied, "the broken config (every third) is refused");
            assertTrue(clients.ok() > 20, "answered: " + clients.ok());
        }
    }
}

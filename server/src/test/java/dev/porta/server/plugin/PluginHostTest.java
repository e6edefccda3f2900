package dev.porta.server.plugin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.porta.server.Porta;
import dev.porta.server.config.CommandLine;
import dev.porta.server.config.ConfigFile;
import dev.porta.server.config.ServerConfig;
import dev.porta.server.plugin.sample.CheckedGreeting;
import dev.porta.server.plugin.sample.HandlerAndObserver;
import dev.porta.server.testing.PluginJar;
import dev.porta.spi.Handler;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Plugin jars made in the test, loaded by the real plugin host: what is refused, what is made once, what check finds. */
@Timeout(30)
class PluginHostTest {

    @TempDir
    Path dir;

    private Path plugins() {
        return dir.resolve("plugins");
    }

    private ServerConfig config(ConfigFile file) throws Exception {
        Path root = Files.createDirectories(dir.resolve("www"));
        return ServerConfig.read(file, new CommandLine(Optional.empty(), OptionalInt.of(0), Optional.of(root),
                Optional.of(plugins()), Optional.of("127.0.0.1")));
    }

    private ConfigFile configFile(String text) {
        return ConfigFile.parse("test.properties",
                "server.data-dir = " + dir.resolve("data") + "\nserver.log-dir = " + dir.resolve("logs") + "\n" + text);
    }

    @Test
    void aPluginThatNeedsAnotherSpiVersionIsRefusedAndTheOthersLoad() throws Exception {
        PluginJar.of("future").requires(">=2.0.0").extension(CheckedGreeting.class).writeTo(plugins());
        PluginJar.of("current").requires(">=1.0.0 & <2.0.0").extension(CheckedGreeting.class).writeTo(plugins());
        PluginJar.of("unpinned").extension(CheckedGreeting.class).writeTo(plugins());
        try (PluginHost host = PluginHost.load(plugins())) {
            assertEquals("1.2.0", host.spiVersion(), "the SPI version comes from the SPI jar's build");
            assertEquals(List.of("current", "unpinned"), host.pluginIds().stream().sorted().toList());
            assertEquals(2, host.handlers().size());
        }
    }

    @Test
    void aPluginJarThatCarriesTheSpiIsRefused() throws Exception {
        PluginJar.of("fat").extension(CheckedGreeting.class).withClass(Handler.class).writeTo(plugins());
        PluginJar.of("thin").extension(CheckedGreeting.class).writeTo(plugins());
        try (PluginHost host = PluginHost.load(plugins())) {
            assertEquals(List.of("thin"), host.pluginIds());
        }
    }

    @Test
    void pluginIdsThatCouldEscapeTheirFolderOrTakeACorePrefixAreRefusedAndTheOthersLoad() throws Exception {
        PluginJar.of("../evil").fileName("evil.jar").extension(CheckedGreeting.class).writeTo(plugins());
        PluginJar.of("server").extension(CheckedGreeting.class).writeTo(plugins());
        PluginJar.of("good").extension(CheckedGreeting.class).writeTo(plugins());
        Files.write(plugins().resolve("renamed-zip.jar"), new byte[] {'P', 'K', 5, 6, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0});
        Files.createSymbolicLink(plugins().resolve("dangling.jar"), dir.resolve("nowhere.jar"));
        try (PluginHost host = PluginHost.load(plugins())) {
            assertEquals(List.of("good"), host.pluginIds());
        }
    }

    @Test
    void ofTwoJarsWithOnePluginIdTheHigherVersionIsLoaded() throws Exception {
        PluginJar.of("twin").version("1.2.0").fileName("twin-1.2.jar").extension(CheckedGreeting.class).writeTo(plugins());
        PluginJar.of("twin").version("1.10.0").fileName("twin-1.10.jar").extension(CheckedGreeting.class).writeTo(plugins());
        try (PluginHost host = PluginHost.load(plugins())) {
            assertEquals(List.of("twin"), host.pluginIds());
            assertEquals("1.10.0", host.versions().get("twin"));
        }
    }

    @Test
    void aClassThatIsHandlerAndObserverIsOneInstanceStartedOnce() throws Exception {
        PluginJar.of("both").extension(HandlerAndObserver.class).writeTo(plugins());
        ConfigFile file = configFile("");
        try (Porta porta = Porta.start(file, config(file))) {
            HttpClient client = HttpClient.newHttpClient();
            URI counts = URI.create("http://127.0.0.1:" + porta.address().getPort() + "/counts");
            String body = client.send(HttpRequest.newBuilder(counts).build(), HttpResponse.BodyHandlers.ofString()).body();
            for (int i = 0; i < 100 && body.endsWith("observed=0"); i++) {
                Thread.sleep(20); // the first exchange reaches the observer after its last byte
                body = client.send(HttpRequest.newBuilder(counts).build(), HttpResponse.BodyHandlers.ofString()).body();
            }
            assertTrue(body.startsWith("instances=1 starts=1 observed="), body);
            assertFalse(body.endsWith("observed=0"), "the instance that handles is the one that observes: " + body);
        }
    }

    @Test
    void checkReportsABadSettingWithFileAndLineAndCreatesNothing() throws Exception {
        PluginJar.of("sample").extension(CheckedGreeting.class).writeTo(plugins());
        ConfigFile file = configFile("# the greeting\nsample.greeting =\n");
        assertEquals(List.of("test.properties:4: sample.greeting: may not be blank"), Porta.check(file, config(file)));

        ConfigFile typo = configFile("sample.greting = hi\n");
        assertEquals(List.of("test.properties:3: unknown key sample.greting"), Porta.check(typo, config(typo)));

        ConfigFile good = configFile("sample.greeting = hi\n");
        assertEquals(List.of(), Porta.check(good, config(good)));
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(List.of("plugins", "www"), files.map(p -> p.getFileName().toString()).sorted().toList(),
                    "check creates no data or log folder");
        }
    }
}

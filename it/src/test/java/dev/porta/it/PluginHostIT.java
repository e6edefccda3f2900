package dev.porta.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.porta.plugins.staticindex.StaticIndex;
import dev.porta.server.testing.PluginJar;
import dev.porta.spi.Handler;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The server jar with plugin jars dropped into a folder, in its own JVM. */
@Timeout(60)
class PluginHostIT {

    @TempDir
    Path dir;
    final HttpClient client = HttpClient.newHttpClient();

    private Path site() throws Exception {
        Path root = Files.createDirectories(dir.resolve("www"));
        Files.writeString(root.resolve("index.html"), "<h1>dropped-in plugin works</h1>");
        Files.writeString(root.resolve("404.html"), "site 404");
        return root;
    }

    private HttpResponse<String> get(int port, String path) throws Exception {
        return client.send(HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + port + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void aDroppedInPluginJarServesTheSite() throws Exception {
        Path root = site();
        Path plugins = PortaProcess.pluginsWith(dir, "static-index");
        try (PortaProcess porta = PortaProcess.start(dir, List.of(), "--root", root.toString(), "--plugins", plugins.toString())) {
            int port = porta.awaitListening();
            assertEquals("<h1>dropped-in plugin works</h1>", get(port, "/").body());
            assertEquals("site 404", get(port, "/missing").body());
            assertTrue(porta.output().contains("Plugin static-index 0.1.0 loaded from static-index.jar: 1 handler(s)"), porta.output());
            assertTrue(porta.output().contains("Handler chain: static-index (StaticIndex)"), porta.output());
            String log = Files.readString(dir.resolve("logs/porta.log"));
            assertTrue(log.contains("Porta listening on"), "the server log file is written");
            // a plugin's lines name it: it logs through PluginContext.logger(), tagged with its id
            assertTrue(porta.output().contains("INFO  [static-index] serves " + root), porta.output());
            assertTrue(log.contains("INFO  [static-index] "), log);
        }
    }

    @Test
    void aPluginMadeForAnotherSpiVersionIsRefusedWithOneLineAndTheRestServe() throws Exception {
        Path root = site();
        Path plugins = PortaProcess.pluginsWith(dir, "static-index");
        PluginJar.of("future").requires(">=2.0.0").extension(StaticIndex.class).writeTo(plugins);
        try (PortaProcess porta = PortaProcess.start(dir, List.of(), "--root", root.toString(), "--plugins", plugins.toString())) {
            int port = porta.awaitListening();
            assertEquals(200, get(port, "/").statusCode());
            List<String> aboutIt = porta.output().lines().filter(l -> l.contains("future")).toList();
            assertEquals(1, aboutIt.size(), porta.output());
            assertTrue(aboutIt.get(0).contains("ERROR [porta] Plugin future (future.jar) is refused: it needs SPI >=2.0.0,"
                    + " and this server has SPI 1.2.0"), aboutIt.get(0));
        }
    }

    @Test
    void aPluginJarThatCarriesTheSpiIsRefusedSayingWhatToDo() throws Exception {
        Path root = site();
        Path plugins = PortaProcess.pluginsWith(dir, "static-index");
        PluginJar.of("fat").extension(StaticIndex.class).withClass(Handler.class).writeTo(plugins);
        try (PortaProcess porta = PortaProcess.start(dir, List.of(), "--root", root.toString(), "--plugins", plugins.toString())) {
            int port = porta.awaitListening();
            assertEquals(200, get(port, "/").statusCode());
            String out = porta.output();
            assertTrue(out.contains("ERROR [porta] Plugin fat (fat.jar) is refused: the jar carries the server's own SPI, PF4J or tinylog"
                    + " classes (dev/porta/spi/Handler.class)"), out);
            assertTrue(out.contains("as dependencies of scope 'provided'"), out);
            assertFalse(out.contains("Different class loaders"), out);
        }
    }

    @Test
    void aBrokenPluginIsReportedAndTheRestServe() throws Exception {
        Path root = site();
        Path plugins = PortaProcess.pluginsWith(dir, "static-index");
        Files.write(plugins.resolve("garbage.jar"), "this is not a zip".getBytes(StandardCharsets.UTF_8));
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        try (JarOutputStream jar = new JarOutputStream(Files.newOutputStream(plugins.resolve("no-descriptor.jar")), manifest)) {
            jar.putNextEntry(new ZipEntry("readme.txt"));
            jar.write("no Plugin-Id".getBytes(StandardCharsets.UTF_8));
        }
        // PF4J's default repository would unpack a zip and take folders for plugins: Porta takes only *.jar.
        Files.createDirectories(plugins.resolve("some-folder"));
        try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(plugins.resolve("archive.zip")))) {
            zip.putNextEntry(new ZipEntry("x.txt"));
        }
        try (PortaProcess porta = PortaProcess.start(dir, List.of(), "--root", root.toString(), "--plugins", plugins.toString())) {
            int port = porta.awaitListening();
            assertEquals(200, get(port, "/").statusCode());
            String out = porta.output();
            assertTrue(out.contains("garbage.jar"), out);
            assertTrue(out.contains("no-descriptor.jar"), out);
            assertFalse(Files.exists(plugins.resolve("archive")), "the zip must not be expanded");
            assertTrue(Files.exists(plugins.resolve("archive.zip")));
        }
    }

    @Test
    void settingsForAPluginThatIsNotLoadedStopStartUp() throws Exception {
        Path root = site();
        Path plugins = PortaProcess.pluginsWith(dir, "static-index");
        Path config = Files.writeString(dir.resolve("porta.properties"),
                "# protect the private area\naccess-control.area.private.prefixes = /private/\n");
        try (PortaProcess porta = PortaProcess.start(dir, List.of(), "--root", root.toString(), "--plugins", plugins.toString(),
                "--config", config.toString())) {
            assertEquals(2, porta.awaitExit());
            assertTrue(porta.output().contains(config + ":2: access-control.area.private.prefixes: no plugin 'access-control' is loaded"),
                    porta.output());
        }
    }

    @Test
    void aBadConfigStopsStartUpNamingFileAndLine() throws Exception {
        Path root = site();
        Path config = Files.writeString(dir.resolve("porta.properties"), "server.port = 80\nlimits.body-bytes = huge\n");
        try (PortaProcess porta = PortaProcess.start(dir, List.of(), "--root", root.toString(), "--config", config.toString())) {
            assertEquals(2, porta.awaitExit());
            assertTrue(porta.output().contains(config + ":2: limits.body-bytes: 'huge' is not a size"), porta.output());
        }
        Path typo = Files.writeString(dir.resolve("typo.properties"), "static-index.autoindx = on\n");
        Path plugins = PortaProcess.pluginsWith(dir, "static-index");
        try (PortaProcess porta = PortaProcess.start(dir, List.of(), "--root", root.toString(), "--plugins", plugins.toString(),
                "--config", typo.toString())) {
            assertEquals(2, porta.awaitExit());
            assertTrue(porta.output().contains(typo + ":1: unknown key static-index.autoindx"), porta.output());
        }
        try (PortaProcess porta = PortaProcess.start(dir, List.of(), "--config", dir.resolve("absent.properties").toString())) {
            assertEquals(2, porta.awaitExit());
            assertTrue(porta.output().contains("absent.properties: cannot read the config file"), porta.output());
        }
    }

    @Test
    void everyBundledPluginStartsWithTheShippedConfigAsTheReadmesFirstCommandRunsThem() throws Exception {
        Path root = site();
        Path plugins = PortaProcess.pluginsWith(dir, "static-index", "request-log", "access-control", "status", "fastcgi", "acme");
        Path shipped = PortaProcess.LAUNCHER.getParent().resolve("conf/porta.properties");
        try (PortaProcess porta = PortaProcess.start(dir, List.of(), "--root", root.toString(), "--plugins", plugins.toString(),
                "--config", shipped.toString())) {
            int port = porta.awaitListening();
            assertEquals(200, get(port, "/").statusCode(), porta.output());
            assertEquals(200, get(port, "/porta/health").statusCode(), porta.output());
            assertFalse(porta.output().contains("ERROR"), porta.output());
        }
    }

    @Test
    void everyPluginChecksItsSettingsBeforeAnyStartsSoABadOneWritesNothing() throws Exception {
        Path root = site();
        Path plugins = PortaProcess.pluginsWith(dir, "static-index", "request-log");
        Path config = Files.writeString(dir.resolve("porta.properties"),
                "request-log.format = json\nrequest-log.rotate-dayly = on\n");
        try (PortaProcess porta = PortaProcess.start(dir, List.of(), "--root", root.toString(), "--plugins", plugins.toString(),
                "--config", config.toString())) {
            assertEquals(2, porta.awaitExit());
            assertTrue(porta.output().contains(config + ":2: unknown key request-log.rotate-dayly"), porta.output());
        }
        assertFalse(Files.exists(dir.resolve("logs/access.log")), "request-log never started: no access log was opened");
        assertFalse(Files.exists(dir.resolve("data/request-log")), "nor its data folder made");
    }

    @Test
    void theConfigFileIsNeverServedEvenUnderTheRoot() throws Exception {
        Path root = site();
        Path plugins = PortaProcess.pluginsWith(dir, "static-index");
        Path config = Files.writeString(root.resolve("porta.properties"), "static-index.autoindex = off\n");
        try (PortaProcess porta = PortaProcess.start(dir, List.of(), "--root", root.toString(), "--plugins", plugins.toString(),
                "--config", config.toString())) {
            int port = porta.awaitListening();
            assertEquals(404, get(port, "/porta.properties").statusCode());
        }
    }
}

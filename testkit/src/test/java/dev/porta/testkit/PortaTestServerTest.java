package dev.porta.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.porta.server.plugin.sample.CheckedGreeting;
import dev.porta.server.testing.PluginJar;
import dev.porta.spi.ConfigException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The testkit as a plugin's tests use it: the plugin from its classes, or from its built jar. */
class PortaTestServerTest {

    @TempDir
    Path dir;

    @Test
    void runsAPluginGivenAsInstancesWithItsSettings() throws Exception {
        Path site = Files.createDirectories(dir.resolve("www"));
        try (PortaTestServer porta = PortaTestServer.builder(site).config("greeter.greeting = hi\n")
                .handler("greeter", new CheckedGreeting()).start()) {
            assertEquals("hi", porta.get("/greeting").body());
            assertEquals(404, porta.get("/other").statusCode());
            List<String> statuses = porta.awaitExchanges(2).stream().map(e -> e.answeredBy().orElse("-") + " " + e.status()).toList();
            assertEquals(List.of("greeter 200", "- 404"), statuses);
            assertTrue(porta.serverLog().contains("INFO  [greeter] greets with 'hi'"), porta.serverLog().toString());
            assertTrue(porta.home().startsWith(Path.of(System.getProperty("java.io.tmpdir"))), "a home of its own: " + porta.home());
        }
    }

    @Test
    void loadsAPluginFromItsBuiltJarThroughPf4j() throws Exception {
        Path jar = PluginJar.of("greeter").requires(">=1.0.0 & <2.0.0").extension(CheckedGreeting.class).writeTo(dir);
        try (PortaTestServer porta = PortaTestServer.builder(dir).config("greeter.greeting = from the jar\n").pluginJar(jar).start()) {
            assertEquals("from the jar", porta.get("/greeting").body());
            assertTrue(porta.serverLog().stream().anyMatch(l -> l.contains("Plugin greeter 1.0.0 loaded from greeter.jar")), porta.serverLog().toString());
        }
    }

    @Test
    void checksAndRefusesSettingsAsPortaDoes() {
        List<String> problems = PortaTestServer.builder(dir).config("greeter.greeting =\n").handler("greeter", new CheckedGreeting()).check();
        assertEquals(List.of("test.properties:1: greeter.greeting: may not be blank"), problems);
        ConfigException unknown = assertThrows(ConfigException.class, () -> PortaTestServer.builder(dir)
                .config("greeter.greting = typo\n").handler("greeter", new CheckedGreeting()).start());
        assertTrue(unknown.getMessage().contains("greeter.greting"), unknown.getMessage());
        ConfigException missing = assertThrows(ConfigException.class, () -> PortaTestServer.builder(dir)
                .config("other.key = 1\n").handler("greeter", new CheckedGreeting()).start());
        assertTrue(missing.getMessage().contains("no plugin 'other' is loaded"), missing.getMessage());
    }
}

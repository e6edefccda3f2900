package dev.porta.server.plugin;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.porta.server.plugin.sample.CheckedGreeting;
import dev.porta.server.testing.PluginJar;
import dev.porta.spi.Handler;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Plugin jars made in the test, loaded by the real plugin host: what is refused. */
@Timeout(30)
class PluginHostTest {

    @TempDir
    Path dir;

    private Path plugins() {
        return dir.resolve("plugins");
    }

    @Test
    void aPluginThatNeedsAnotherSpiVersionIsRefusedAndTheOthersLoad() throws Exception {
        PluginJar.of("future").requires(">=2.0.0").extension(CheckedGreeting.class).writeTo(plugins());
        PluginJar.of("current").requires(">=1.0.0 & <2.0.0").extension(CheckedGreeting.class).writeTo(plugins());
        PluginJar.of("unpinned").extension(CheckedGreeting.class).writeTo(plugins());
        try (PluginHost host = PluginHost.load(plugins())) {
            assertEquals("1.0.0", host.spiVersion(), "the SPI version comes from the SPI jar's build");
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
}

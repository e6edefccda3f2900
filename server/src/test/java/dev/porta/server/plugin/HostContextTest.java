package dev.porta.server.plugin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.porta.server.config.CommandLine;
import dev.porta.server.config.ConfigFile;
import dev.porta.server.config.ConfigSettings;
import dev.porta.server.config.ServerConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a plugin gets from its context: its own data folder. */
class HostContextTest {

    @TempDir
    Path dir;

    private HostContext context(String id, boolean forCheck) {
        ConfigFile file = ConfigFile.parse("test.properties", "server.data-dir = " + dir.resolve("data") + "\n");
        ServerConfig config = ServerConfig.read(file, new CommandLine(Optional.empty(), OptionalInt.of(0), Optional.of(dir),
                Optional.empty(), Optional.of("127.0.0.1")));
        ConfigSettings settings = new ConfigSettings(file, id);
        NeverServedFiles neverServed = new NeverServedFiles();
        return forCheck ? HostContext.forCheck(id, settings, config, neverServed) : new HostContext(id, settings, config, neverServed, () -> dev.porta.spi.ServerState.SERVING);
    }

    @Test
    void eachPluginHasItsOwnDataFolderCreatedOnFirstUseForPortasUserOnly() throws Exception {
        Path folder = context("sample", false).dataDirectory();
        assertEquals(dir.resolve("data/sample"), folder);
        assertTrue(Files.isDirectory(folder));
        if (folder.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(folder)));
        }
        assertEquals(dir.resolve("data/other"), context("other", false).dataDirectory());
    }

    @Test
    void whileCheckingTheDataFolderIsNamedButNotCreated() {
        assertEquals(dir.resolve("data/sample"), context("sample", true).dataDirectory());
        assertFalse(Files.exists(dir.resolve("data")));
    }
}

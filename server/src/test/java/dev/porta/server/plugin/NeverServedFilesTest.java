package dev.porta.server.plugin;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Lookups by real path against files and folders registered under any spelling. */
class NeverServedFilesTest {

    @TempDir
    Path dir;
    Path real;
    Path link;
    final NeverServedFiles neverServed = new NeverServedFiles();

    @BeforeEach
    void folders() throws IOException {
        real = Files.createDirectories(dir.resolve("real")).toRealPath();
        link = Files.createSymbolicLink(dir.resolve("link"), real);
    }

    @Test
    void aFileRegisteredThroughALinkIsFoundByItsRealPath() throws IOException {
        Files.writeString(real.resolve("users.htpasswd"), "alice:x");
        neverServed.add(link.resolve("users.htpasswd"));
        assertTrue(neverServed.contains(real.resolve("users.htpasswd")));
        assertFalse(neverServed.contains(real.resolve("users.htpasswd.bak")));
        assertFalse(neverServed.contains(real));
    }

    @Test
    void aLookupTakesThePathAsGivenAndTouchesNoDisk() throws IOException {
        Files.writeString(real.resolve("users.htpasswd"), "alice:x");
        neverServed.add(real.resolve("users.htpasswd"));
        neverServed.addFolder(real.resolve("logs"));
        assertFalse(neverServed.contains(link.resolve("users.htpasswd")), "the caller resolves links, not the lookup");
        assertFalse(neverServed.contains(link.resolve("logs/access.log")), "the caller resolves links, not the lookup");
    }

    @Test
    void aFolderCoversItselfAndEverythingBelowItButNotItsSiblings() throws IOException {
        Files.createDirectories(real.resolve("logs"));
        neverServed.addFolder(link.resolve("logs"));
        assertTrue(neverServed.contains(real.resolve("logs")));
        assertTrue(neverServed.contains(real.resolve("logs/access.log")));
        assertTrue(neverServed.contains(real.resolve("logs/old/access.log.1")));
        assertFalse(neverServed.contains(real.resolve("logs2/access.log")));
        assertFalse(neverServed.contains(real.resolve("logs.txt")));
        assertFalse(neverServed.contains(real));
    }

    @Test
    void aFolderThatDoesNotExistYetIsFoundOnceCreated() throws IOException {
        neverServed.addFolder(link.resolve("var/log"));
        Path log = Files.writeString(Files.createDirectories(link.resolve("var/log")).resolve("access.log"), "x");
        assertTrue(neverServed.contains(log.toRealPath()));
    }
}

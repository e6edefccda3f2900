package dev.porta.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Where relative paths lead (command line: the directory the user is in; config file: Porta's home),
 * where the server's own log goes, and SIGHUP, which admins send to reload and which must not stop Porta.
 */
@Timeout(120)
class PathsAndSignalsIT {

    static final HttpClient CLIENT = HttpClient.newHttpClient();

    @TempDir
    Path dir;

    static String get(int port, String path) throws Exception {
        HttpResponse<String> r = CLIENT.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
                HttpResponse.BodyHandlers.ofString());
        return r.statusCode() + " " + r.body();
    }

    static Path site(Path folder, String text) throws Exception {
        Files.createDirectories(folder);
        Files.writeString(folder.resolve("index.html"), text);
        return folder;
    }

    @Test
    void aRelativeRootOnTheLaunchersCommandLineIsTakenFromWhereTheUserIs() throws Exception {
        Path elsewhere = Files.createDirectories(dir.resolve("elsewhere"));
        site(elsewhere.resolve("site"), "the user's site");
        Path plugins = PortaProcess.pluginsWith(elsewhere, "static-index");
        try (PortaProcess porta = PortaProcess.startLauncher(elsewhere, "--root", "site", "--plugins", "plugins")) {
            int port = porta.awaitListening();
            assertEquals("200 the user's site", get(port, "/"), porta.output());
            assertTrue(porta.output().contains("Serving " + elsewhere.resolve("site").toRealPath()), porta.output());
            assertTrue(Files.isDirectory(plugins));
        }
    }

    @Test
    void pathsInTheConfigFileAreTakenAgainstPortasHomeWhereverItRuns() throws Exception {
        Path home = Files.createDirectories(dir.resolve("home"));
        Path elsewhere = Files.createDirectories(dir.resolve("elsewhere"));
        site(home.resolve("site"), "home's site");
        site(elsewhere.resolve("site"), "the wrong site");
        PortaProcess.pluginsWith(home, "static-index");
        Files.createDirectories(home.resolve("conf"));
        Files.writeString(home.resolve("conf/porta.properties"), "server.root = site\nserver.plugins = plugins\n");
        try (PortaProcess porta = PortaProcess.start(elsewhere, List.of("-Dporta.home=" + home))) {
            assertEquals("200 home's site", get(porta.awaitListening(), "/"), porta.output());
        }
        // a flag still means the directory the command runs in
        try (PortaProcess porta = PortaProcess.start(elsewhere, List.of("-Dporta.home=" + home), "--root", "site")) {
            assertEquals("200 the wrong site", get(porta.awaitListening(), "/"), porta.output());
        }
    }

    @Test
    void theServerLogGoesToTheConfiguredLogFolder() throws Exception {
        site(dir.resolve("www"), "hello");
        Files.writeString(dir.resolve("porta.properties"), "server.log-dir = custom-logs\n");
        try (PortaProcess porta = PortaProcess.start(dir, List.of(), "--config", "porta.properties",
                "--plugins", dir.resolve("no-plugins").toString())) {
            porta.awaitListening();
            porta.terminate();
            assertEquals(0, porta.awaitExit(), porta.output());
        }
        Path log = dir.resolve("custom-logs/porta.log");
        assertTrue(Files.isRegularFile(log), "the server log is in server.log-dir");
        assertTrue(Files.readString(log).contains("Porta listening on"), Files.readString(log));
        assertFalse(Files.exists(dir.resolve("logs")), "nothing goes to ./logs");
    }

    @Test
    void sighupIsLoggedAndIgnored() throws Exception {
        site(dir.resolve("www"), "still here");
        Path plugins = PortaProcess.pluginsWith(dir, "static-index");
        try (PortaProcess porta = PortaProcess.start(dir, List.of(), "--plugins", plugins.toString())) {
            int port = porta.awaitListening();
            Process kill = new ProcessBuilder("kill", "-HUP", Long.toString(porta.process().pid())).start();
            assertTrue(kill.waitFor(10, TimeUnit.SECONDS) && kill.exitValue() == 0);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (!porta.output().contains("SIGHUP received") && System.nanoTime() < deadline) Thread.sleep(20);
            assertTrue(porta.output().contains("SIGHUP received"), porta.output());
            assertTrue(porta.process().isAlive(), "SIGHUP did not stop Porta");
            assertEquals("200 still here", get(port, "/"));
            porta.terminate();
            assertEquals(0, porta.awaitExit(), porta.output());
        }
    }
}

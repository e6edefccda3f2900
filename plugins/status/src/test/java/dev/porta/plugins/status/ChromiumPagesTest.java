package dev.porta.plugins.status;

import static dev.porta.plugins.status.StatusServer.send;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.porta.testkit.PortaTestServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Headless Chromium renders the status and requests pages while known traffic arrives: the rendered DOM
 * shows the counts and the paths, and the console has no error. With {@code -Dstatus.screenshot=FILE}
 * it also writes a screenshot of the status page (for the docs).
 */
class ChromiumPagesTest {

    @TempDir
    Path root;

    @Test
    @Timeout(120)
    void thePagesRenderTheTrafficWithoutConsoleErrors() throws Exception {
        Optional<Path> chromium = Tools.find("chromium", "chromium-browser", "google-chrome");
        Assumptions.assumeTrue(chromium.isPresent(), "chromium is not installed (apt-get install chromium): pages not rendered");
        try (PortaTestServer server = StatusServer.start(root, "")) {
            for (int i = 0; i < 5; i++) send(server, "GET", "/hello/chromium-" + i % 2);
            for (int i = 0; i < 3; i++) send(server, "GET", "/gone/page");
            server.awaitExchanges(8);

            String status = render(chromium.get(), server, "/porta/status", List.of("--dump-dom"));
            assertTrue(status.contains("/hello/chromium-0") && status.contains("/hello/chromium-1"), status);
            assertTrue(status.contains("<td>/gone/page</td><td class=\"num\">3</td>"), "the top 404s: " + status);
            assertTrue(status.contains("status → site"), "the handler chain: " + status);

            String requests = render(chromium.get(), server, "/porta/requests", List.of("--dump-dom"));
            assertTrue(requests.contains("<td>/gone/page</td><td class=\"s4\">404</td>"), requests);
            assertEquals(3, requests.split("<td>/gone/page</td>").length - 1, requests);
            assertTrue(requests.contains("/hello/chromium-1"), requests);

            String screenshot = System.getProperty("status.screenshot");
            if (screenshot != null && !screenshot.isBlank()) {
                render(chromium.get(), server, "/porta/status", List.of("--screenshot=" + Path.of(screenshot).toAbsolutePath(),
                        "--window-size=1280,1100", "--hide-scrollbars"));
            }
        }
    }

    /** Loads {@code path} in headless Chromium; fails on any console error; returns what it printed. */
    private String render(Path chromium, PortaTestServer server, String path, List<String> what) throws Exception {
        Path profile = Files.createTempDirectory(root, "chromium");
        List<String> command = new ArrayList<>(List.of(chromium.toString(), "--headless", "--no-sandbox",
                "--disable-background-networking", "--disable-gpu", "--no-first-run", "--disable-extensions",
                "--user-data-dir=" + profile, "--enable-logging=stderr", "--v=0", "--virtual-time-budget=5000"));
        command.addAll(what);
        command.add(server.uri(path).toString());
        Tools.Result r = Tools.run(command, 60);
        // Chromium's stderr gives no level for console lines ("INFO:CONSOLE:1] "boom"" for console.error):
        // the pages log nothing at all, so any console line is an error
        List<String> console = r.stderr().lines().filter(l -> l.contains(":CONSOLE") || l.contains("Uncaught")).toList();
        assertEquals(List.of(), console, "console messages on " + path);
        assertEquals(0, r.exit(), r.stderr());
        return r.stdout();
    }
}

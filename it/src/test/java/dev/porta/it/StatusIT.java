package dev.porta.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The built status.jar dropped in beside the bundled plugins: its pages, login metrics, and health during a SIGTERM drain. */
@Timeout(120)
class StatusIT {

    @TempDir
    Path dir;

    @Test
    void healthTurns503AtSigtermWhilePortaDrainsThenItExitsZero() throws Exception {
        Path root = Files.createDirectories(dir.resolve("www"));
        Files.writeString(root.resolve("index.html"), "home");
        Path plugins = PortaProcess.pluginsWith(dir, "static-index", "access-control", "status");
        Path users = PortaProcess.usersFile(dir, plugins, "alice", "correct horse");
        Path config = Files.writeString(dir.resolve("porta.properties"), """
                timeouts.drain = 3s
                status.allow = none
                access-control.area.ops.prefixes = /porta/metrics, /porta/status.json
                access-control.area.ops.users = %s
                """.formatted(users));
        try (PortaProcess porta = PortaProcess.start(dir, List.of(), "--root", root.toString(),
                "--plugins", plugins.toString(), "--config", config.toString())) {
            int port = porta.awaitListening();
            assertEquals(200, get(port, "/porta/health", null).statusCode());
            assertEquals(403, get(port, "/porta/status", null).statusCode(), "status.allow = none: only users");
            assertEquals(401, get(port, "/porta/metrics", "alice:wrong").statusCode());
            Answer metrics = get(port, "/porta/metrics", "alice:correct horse");
            assertEquals(200, metrics.statusCode(), "a user access control lets in sees the page");
            assertTrue(metrics.body().contains("\nporta_login_failures_total 1.0\n"), metrics.body());
            assertTrue(metrics.body().contains("porta_plugin_responses_total{plugin=\"access-control\"} 1.0"), metrics.body());
            String json = get(port, "/porta/status.json", "alice:correct horse").body();
            assertTrue(json.contains("\"version\":\"0.1.0\""), "Porta's own version, from its jar: " + json);

            porta.terminate();
            Answer draining = get(port, "/porta/health", null);
            long deadline = System.nanoTime() + 2_000_000_000L;
            while (draining.statusCode() == 200 && System.nanoTime() < deadline) {
                Thread.sleep(20);
                draining = get(port, "/porta/health", null);
            }
            assertEquals(503, draining.statusCode(), "health fails once SIGTERM arrived");
            assertEquals("draining\n", draining.body());
            assertEquals("home", get(port, "/", null).body(), "new clients are still served while draining");
            assertEquals(0, porta.awaitExit(), porta.output());
            assertTrue(porta.output().contains("Plugin status 0.1.0 loaded from status.jar"), porta.output());
        }
    }

    /** What a raw GET got back. */
    record Answer(int statusCode, String body) {
    }

    /** A GET on a new connection each time (a draining server must still accept); {@code userPassword} for Basic. */
    private static Answer get(int port, String path, String userPassword) throws Exception {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(10_000);
            String auth = userPassword == null ? ""
                    : "Authorization: Basic " + Base64.getEncoder().encodeToString(userPassword.getBytes(StandardCharsets.UTF_8)) + "\r\n";
            socket.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: a\r\nConnection: close\r\n" + auth + "\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            String response = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            return new Answer(Integer.parseInt(response.substring(9, 12)), response.substring(response.indexOf("\r\n\r\n") + 4));
        }
    }
}

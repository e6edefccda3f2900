package dev.porta.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** access-control as a dropped-in jar: its shaded bcrypt library loads through PF4J's plugin class loader. */
@Timeout(60)
class AccessControlIT {

    @TempDir
    Path dir;

    @Test
    void protectsAnAreaWithAUsersFileMadeByTheUsersCommand() throws Exception {
        Path root = Files.createDirectories(dir.resolve("www/private"));
        Files.writeString(root.resolve("index.html"), "members only");
        Path plugins = PortaProcess.pluginsWith(dir, "static-index", "access-control", "request-log");
        Path users = PortaProcess.usersFile(dir, plugins, "alice", "correct horse");
        Path config = Files.writeString(dir.resolve("porta.properties"), """
                access-control.area.private.prefixes = /private/
                access-control.area.private.users = %s
                """.formatted(users));
        try (PortaProcess porta = PortaProcess.start(dir, List.of(), "--root", dir.resolve("www").toString(),
                "--plugins", plugins.toString(), "--config", config.toString())) {
            int port = porta.awaitListening();
            HttpClient client = HttpClient.newHttpClient();
            URI uri = URI.create("http://127.0.0.1:" + port + "/private/");
            assertEquals(401, client.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString()).statusCode());
            String auth = "Basic " + Base64.getEncoder().encodeToString("alice:correct horse".getBytes(StandardCharsets.UTF_8));
            HttpResponse<String> ok = client.send(HttpRequest.newBuilder(uri).header("Authorization", auth).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, ok.statusCode());
            assertEquals("members only", ok.body());
            assertTrue(porta.output().contains("Handler chain: access-control (AccessControl) -> static-index (StaticIndex)"), porta.output());
            porta.terminate();
            assertEquals(0, porta.awaitExit());
        }
        assertTrue(Files.readString(dir.resolve("logs/access.log")).contains(" - alice ["), "request-log prints the user");
    }

    @Test
    void aBrokenUsersFileStopsStartUpInsteadOfOpeningTheArea() throws Exception {
        Path root = Files.createDirectories(dir.resolve("www/private"));
        Path plugins = PortaProcess.pluginsWith(dir, "static-index", "access-control");
        Path users = Files.writeString(dir.resolve("users.htpasswd"), "alice:plaintext\n");
        Path config = Files.writeString(dir.resolve("porta.properties"),
                "access-control.area.private.prefixes = /private/\naccess-control.area.private.users = " + users + "\n");
        try (PortaProcess porta = PortaProcess.start(dir, List.of(), "--root", root.getParent().toString(),
                "--plugins", plugins.toString(), "--config", config.toString())) {
            assertEquals(2, porta.awaitExit());
            assertTrue(porta.output().contains(config + ":2: access-control.area.private.users: " + users + ":1: user 'alice'"), porta.output());
        }
    }
}

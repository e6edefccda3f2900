package dev.porta.plugins.fastcgi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The built product: {@code porta.jar} in its own JVM with 64 MiB of heap, the bundled jars of
 * access-control, static-index and fastcgi dropped into its plugins folder, in front of a real PHP-FPM.
 * Run by failsafe after the plugin jar is built.
 */
@Timeout(90)
class FastCgiIT {

    static final Path JAR = Path.of(System.getProperty("porta.jar", "../../server/target/porta.jar")).toAbsolutePath().normalize();
    static final Path BUNDLED = Path.of(System.getProperty("porta.plugins", "..")).toAbsolutePath().normalize();
    static final String JAVA = System.getProperty("porta.java", "java");
    static final Pattern LISTENING = Pattern.compile("Porta listening on http://[^:]+:(\\d+)/");

    @TempDir
    Path dir;

    @Test
    void aPhpSiteBehindTheRealPluginsInASmallHeap() throws Exception {
        PhpFpm.assumeInstalled();
        Path root = TestSite.write(Files.createDirectories(dir.resolve("www")));
        Path plugins = Files.createDirectories(dir.resolve("plugins"));
        for (String id : List.of("access-control", "static-index", "fastcgi")) {
            Files.copy(BUNDLED.resolve(id + ".jar"), plugins.resolve(id + ".jar"));
        }
        Path users = dir.resolve("users.htpasswd");
        Process add = new ProcessBuilder(JAVA, "-cp", plugins.resolve("access-control.jar").toString(),
                "dev.porta.plugins.accesscontrol.UsersCommand", "add", users.toString(), "alice", "--stdin").redirectErrorStream(true).start();
        try (OutputStream in = add.getOutputStream()) {
            in.write("correct horse\n".getBytes(StandardCharsets.UTF_8));
        }
        assertEquals(0, add.waitFor(), new String(add.getInputStream().readAllBytes(), StandardCharsets.UTF_8));

        try (PhpFpm fpm = PhpFpm.start(Files.createDirectories(dir.resolve("fpm")), 3)) {
            Path config = Files.writeString(dir.resolve("porta.properties"), """
                    fastcgi.address = %s
                    access-control.area.private.prefixes = /private/
                    access-control.area.private.users = %s
                    """.formatted(fpm.address(), users));
            Path log = dir.resolve("porta.out");
            Process porta = new ProcessBuilder(JAVA, "-Xmx64m", "-jar", JAR.toString(), "--port", "0", "--host", "127.0.0.1",
                    "--root", root.toString(), "--plugins", plugins.toString(), "--config", config.toString())
                    .directory(dir.toFile()).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            try {
                int port = awaitListening(porta, log);
                String output = Files.readString(log);
                assertTrue(output.contains("Handler chain: access-control (AccessControl) -> static-index (StaticIndex) -> fastcgi (FastCgi)"), output);
                HttpClient client = HttpClient.newHttpClient();
                URI base = URI.create("http://127.0.0.1:" + port);

                // static-index finds the folder's index.php and passes it to fastcgi
                assertEquals("dir index /dir/index.php", client.send(HttpRequest.newBuilder(base.resolve("/dir/")).build(),
                        HttpResponse.BodyHandlers.ofString()).body());
                // the cgi.fix_pathinfo hole stays shut through the whole chain
                HttpResponse<String> cat = client.send(HttpRequest.newBuilder(base.resolve("/uploads/cat.jpg/x.php")).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertEquals(404, cat.statusCode());
                // access-control's area applies before any script runs, and its user is REMOTE_USER
                URI whoami = base.resolve("/private/whoami.php");
                assertEquals(401, client.send(HttpRequest.newBuilder(whoami).build(), HttpResponse.BodyHandlers.ofString()).statusCode());
                String auth = "Basic " + Base64.getEncoder().encodeToString("alice:correct horse".getBytes(StandardCharsets.UTF_8));
                assertEquals("alice Basic", client.send(HttpRequest.newBuilder(whoami).header("Authorization", auth).build(),
                        HttpResponse.BodyHandlers.ofString()).body());

                // two 50 MiB answers at once through 64 MiB of heap: neither is ever held whole
                List<CompletableFuture<Long>> downloads = List.of(download(client, base), download(client, base));
                for (CompletableFuture<Long> d : downloads) assertEquals(50L << 20, d.get(60, TimeUnit.SECONDS));
                assertTrue(porta.isAlive(), Files.readString(log));
                assertTrue(!Files.readString(log).contains("OutOfMemoryError"), Files.readString(log));
            } finally {
                porta.destroy();
                if (!porta.waitFor(15, TimeUnit.SECONDS)) porta.destroyForcibly();
            }
        }
    }

    private static CompletableFuture<Long> download(HttpClient client, URI base) {
        return client.sendAsync(HttpRequest.newBuilder(base.resolve("/big.php?mib=50")).build(), HttpResponse.BodyHandlers.ofInputStream())
                .thenApply(r -> {
                    try (InputStream in = r.body()) {
                        return r.statusCode() == 200 ? in.transferTo(OutputStream.nullOutputStream()) : -r.statusCode();
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                });
    }

    private static int awaitListening(Process porta, Path log) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            Matcher m = LISTENING.matcher(Files.readString(log));
            if (m.find()) return Integer.parseInt(m.group(1));
            if (!porta.isAlive()) break;
            Thread.sleep(50);
        }
        throw new AssertionError("Porta did not start listening:\n" + Files.readString(log));
    }
}

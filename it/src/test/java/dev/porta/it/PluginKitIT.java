package dev.porta.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The plugin kit as a plugin author uses it, on a fresh machine: an empty local Maven repository seeded
 * only by {@code ./porta sdk} (third-party artifacts come from Maven Central), {@code ./porta new-plugin},
 * {@code mvn verify} in the generated project (its own testkit test runs), and its jar dropped into a
 * running Porta's {@code plugins/} answers. Runs on a copy of the sources, so that the build under test is
 * left alone. Skipped, saying so, when Maven Central cannot be reached or {@code PORTA_KIT_IT=skip}.
 */
@Tag("network")
class PluginKitIT {

    private static final Path SOURCES = PortaProcess.LAUNCHER.getParent();
    private static final Duration STEP = Duration.ofMinutes(4);

    @Test
    @Timeout(value = 10, unit = TimeUnit.MINUTES)
    void fromNewPluginToAPluginAnsweringOnARunningPorta(@TempDir Path dir) throws Exception {
        assumeTrue(!"skip".equals(System.getenv("PORTA_KIT_IT")), "PORTA_KIT_IT=skip: the plugin kit test is skipped");
        assumeTrue(mavenCentralReachable(), "Maven Central cannot be reached: the plugin kit test is skipped (it needs the network)");
        Path porta = copyOfTheSources(dir.resolve("porta"));
        Path repo = Files.createDirectories(dir.resolve("m2"));
        Map<String, String> env = Map.of("PORTA_MAVEN_REPO", repo.toString());

        long t0 = System.nanoTime();
        String sdk = run(porta, env, porta.resolve("porta").toString(), "sdk");
        assertTrue(sdk.contains("dev.porta:porta-testkit:"), sdk);
        long t1 = System.nanoTime();
        for (String artifact : List.of("porta-spi/1.2.0/porta-spi-1.2.0", "porta-testkit/0.1.0/porta-testkit-0.1.0")) {
            for (String suffix : List.of(".jar", "-sources.jar", "-javadoc.jar")) {
                assertTrue(Files.isRegularFile(repo.resolve("dev/porta/" + artifact + suffix)), artifact + suffix + " installed");
            }
        }

        String made = run(dir, env, porta.resolve("porta").toString(), "new-plugin", "hello", "hello");
        assertTrue(made.contains("Wrote the plugin 'hello'"), made);
        String refused = runExpectingFailure(dir, porta.resolve("porta").toString(), "new-plugin", "hello", "hello");
        assertTrue(refused.contains("is not an empty folder"), refused);
        refused = runExpectingFailure(dir, porta.resolve("porta").toString(), "new-plugin", "Bad_Name");
        assertTrue(refused.contains("is not a plugin id"), refused);

        String build = run(dir.resolve("hello"), env, "mvn", "-B", "verify", "-Dmaven.repo.local=" + repo);
        assertTrue(build.contains("Tests run: 3, Failures: 0, Errors: 0"), build);
        long t2 = System.nanoTime();

        Path plugins = Files.createDirectories(dir.resolve("plugins"));
        Files.copy(dir.resolve("hello/target/hello.jar"), plugins.resolve("hello.jar"));
        Path site = Files.createDirectories(dir.resolve("www"));
        try (PortaProcess server = PortaProcess.start(dir, List.of(), "--root", site.toString(), "--plugins", plugins.toString())) {
            int port = server.awaitListening();
            HttpResponse<String> r = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/hello")).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, r.statusCode(), r.body());
            assertEquals("Hello from hello\n", r.body());
        }
        System.out.printf("plugin kit: sdk %d s, new-plugin + mvn verify %d s, in all %d s%n",
                TimeUnit.NANOSECONDS.toSeconds(t1 - t0), TimeUnit.NANOSECONDS.toSeconds(t2 - t1),
                TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - t0));
    }

    private static boolean mavenCentralReachable() {
        try {
            HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
            HttpResponse<Void> r = client.send(HttpRequest.newBuilder(URI.create("https://repo.maven.apache.org/maven2/org/pf4j/pf4j/maven-metadata.xml"))
                    .method("HEAD", HttpRequest.BodyPublishers.noBody()).timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.discarding());
            return r.statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** The repository's sources without build output, as a fresh checkout has them. */
    private static Path copyOfTheSources(Path target) throws IOException {
        try (Stream<Path> files = Files.walk(SOURCES)) {
            for (Path from : (Iterable<Path>) files::iterator) {
                Path relative = SOURCES.relativize(from);
                String text = relative.toString().replace('\\', '/');
                if (text.startsWith(".git") || text.contains("target/") || text.endsWith("/target") || text.equals("target")
                        || (text.startsWith("plugins/") && text.endsWith(".jar"))) continue;
                Path to = target.resolve(relative);
                if (Files.isDirectory(from)) Files.createDirectories(to);
                else Files.copy(from, to, StandardCopyOption.COPY_ATTRIBUTES);
            }
        }
        return target;
    }

    private static String run(Path workDir, Map<String, String> env, String... command) throws Exception {
        Process p = start(workDir, env, command);
        String output = awaitOutput(p, command);
        assertEquals(0, p.exitValue(), String.join(" ", command) + " failed:\n" + output);
        return output;
    }

    private static String runExpectingFailure(Path workDir, String... command) throws Exception {
        Process p = start(workDir, Map.of(), command);
        String output = awaitOutput(p, command);
        assertTrue(p.exitValue() != 0, String.join(" ", command) + " should fail:\n" + output);
        return output;
    }

    private static Process start(Path workDir, Map<String, String> env, String... command) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(command).directory(workDir.toFile()).redirectErrorStream(true);
        Path javaHome = Path.of(PortaProcess.JAVA).toAbsolutePath().getParent().getParent();
        builder.environment().put("JAVA_HOME", javaHome.toString());
        builder.environment().put("PATH", javaHome.resolve("bin") + ":" + System.getenv("PATH"));
        if (Runtime.version().feature() >= 23) builder.environment().put("MAVEN_OPTS", "--sun-misc-unsafe-memory-access=allow");
        builder.environment().putAll(env);
        return builder.start();
    }

    private static String awaitOutput(Process p, String... command) throws Exception {
        Path log = Files.createTempFile("porta-kit", ".log");
        Thread copier = Thread.ofPlatform().daemon().start(() -> {
            try (var in = p.getInputStream()) {
                Files.copy(in, log, StandardCopyOption.REPLACE_EXISTING);
            } catch (IOException ignored) {
                // the process ended
            }
        });
        if (!p.waitFor(STEP.toSeconds(), TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError(String.join(" ", command) + " took more than " + STEP + ":\n" + Files.readString(log));
        }
        copier.join(5_000);
        String output = Files.readString(log, StandardCharsets.UTF_8);
        Files.deleteIfExists(log);
        return output;
    }
}

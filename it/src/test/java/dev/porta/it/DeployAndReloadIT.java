package dev.porta.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.porta.server.deploy.sample.FailsToStart;
import dev.porta.server.deploy.sample.VersionHandler;
import dev.porta.server.testing.PluginJar;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Hot deploy and reload of the built jar in its own JVM: what the log says, SIGHUP, {@code porta reload}, the PID file. */
@Timeout(90)
class DeployAndReloadIT {

    @TempDir
    Path dir;
    final HttpClient client = HttpClient.newHttpClient();

    private static PluginJar hello(String version) {
        return PluginJar.of("hello").version(version).requires(">=1.0.0 & <2.0.0").extension(VersionHandler.class)
                .resource("dev/porta/server/deploy/sample/version.txt", version);
    }

    private String get(int port, String path) throws Exception {
        HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
                HttpResponse.BodyHandlers.ofString());
        return r.statusCode() + " " + r.body();
    }

    /** Waits up to 10 s for the output to have a line containing {@code text}. */
    private static void awaitLine(PortaProcess porta, String text) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!porta.output().contains(text)) {
            if (System.nanoTime() > deadline) throw new AssertionError("no line with '" + text + "' within 10 s:\n" + porta.output());
            Thread.sleep(50);
        }
    }

    private String awaitAnswer(int port, String path, String wanted) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        String seen;
        while (!(seen = get(port, path)).startsWith(wanted)) {
            if (System.nanoTime() > deadline) throw new AssertionError(path + " answers '" + seen + "', not '" + wanted + "'");
            Thread.sleep(50);
        }
        return seen;
    }

    @Test
    void eachLoadSwapAndUnloadIsLoggedWithIdVersionFileAndTheChainAfter() throws Exception {
        Path root = Files.createDirectories(dir.resolve("www"));
        Path plugins = PortaProcess.pluginsWith(dir, "static-index");
        try (PortaProcess porta = PortaProcess.start(dir, List.of(), "--root", root.toString(), "--plugins", plugins.toString())) {
            int port = porta.awaitListening();
            hello("1.0.0").moveInto(plugins);
            awaitLine(porta, "INFO  [porta] Plugin hello 1.0.0 (hello.jar) loaded; chain now: hello (VersionHandler) -> static-index (StaticIndex)");
            awaitAnswer(port, "/v/hello", "200 hello 1.0.0 -");
            hello("1.1.0").moveInto(plugins);
            awaitLine(porta, "INFO  [porta] Plugin hello swapped: hello 1.1.0 (hello.jar) replaces hello 1.0.0 (hello.jar); chain now:"
                    + " hello (VersionHandler) -> static-index (StaticIndex)");
            awaitLine(porta, "Plugin hello 1.0.0 (hello.jar) stopped and unloaded after the last exchange on its chain");
            awaitAnswer(port, "/v/hello", "200 hello 1.1.0 -");
            Files.delete(plugins.resolve("hello.jar"));
            awaitLine(porta, "INFO  [porta] Plugin hello 1.1.0 (hello.jar) removed; chain now: static-index (StaticIndex)");
            awaitAnswer(port, "/v/hello", "404 ");  // with the built-in error page
            PluginJar.of("broken").requires(">=1.0.0 & <2.0.0").extension(FailsToStart.class).moveInto(plugins);
            awaitLine(porta, "ERROR [porta] Plugin broken 1.0.0 (broken.jar) failed to start and is left out:"
                    + " java.lang.IllegalStateException: this plugin never starts");
        }
    }

    @Test
    void aRefusedChangeSaysWhyInTheLogAndTheRunningPluginsKeepServing() throws Exception {
        Path root = Files.createDirectories(dir.resolve("www"));
        Path plugins = PortaProcess.pluginsWith(dir, "static-index");
        hello("1.0.0").writeTo(plugins);
        Path conf = Files.createDirectories(dir.resolve("conf")).resolve("porta.properties");
        Files.writeString(conf, "server.root = " + root + "\nserver.plugins = " + plugins + "\nserver.chain = hello, static-index\n"
                + "hello.note = kept\n");
        try (PortaProcess porta = PortaProcess.start(dir, List.of(), "--config", conf.toString())) {
            int port = porta.awaitListening();
            PluginJar.of("other").requires(">=1.0.0 & <2.0.0").extension(VersionHandler.class).moveInto(plugins);
            awaitLine(porta, "ERROR [porta] Plugin other 1.0.0 (other.jar) has a handler, and server.chain (" + conf + ":3) does not"
                    + " name it: it is not placed in the chain and is left out; add other to server.chain where it belongs and reload");
            Files.delete(plugins.resolve("hello.jar"));
            awaitLine(porta, "ERROR [porta] Plugin hello 1.0.0 (hello.jar) is gone from the plugins folder, but the config has settings"
                    + " for it (" + conf + ":4: hello.note): it keeps running");
            assertEquals("200 hello 1.0.0 kept", get(port, "/v/hello"));
        }
    }

    @Test
    void sighupAndPortaReloadReloadTheConfigABrokenOneIsKeptOutAndASecondPortaIsRefused() throws Exception {
        Path root = Files.createDirectories(dir.resolve("www"));
        Path plugins = Files.createDirectories(dir.resolve("plugins"));
        hello("1.0.0").writeTo(plugins);
        Path conf = Files.createDirectories(dir.resolve("conf")).resolve("porta.properties");
        String base = "server.root = " + root + "\nserver.plugins = " + plugins + "\nserver.data-dir = " + dir.resolve("data")
                + "\nserver.log-dir = " + dir.resolve("logs") + "\n";
        Files.writeString(conf, base + "hello.note = one\n");
        try (PortaProcess porta = PortaProcess.start(dir, List.of(), "--config", conf.toString())) {
            int port = porta.awaitListening();
            assertEquals("200 hello 1.0.0 one", get(port, "/v/hello"));
            assertEquals(porta.process().pid() + "\n", Files.readString(dir.resolve("data/porta.pid")));

            Files.writeString(conf, base + "hello.note = two\nhello.nope = 1\n");
            new ProcessBuilder("kill", "-HUP", Long.toString(porta.process().pid())).start().waitFor();
            awaitLine(porta, "ERROR [porta] " + conf + ":6: unknown key hello.nope — keeping the running configuration");
            assertEquals("200 hello 1.0.0 one", get(port, "/v/hello"));
            assertTrue(porta.process().isAlive(), "SIGHUP does not stop Porta");

            Files.writeString(conf, base.replace(dir.resolve("logs").toString(), dir.resolve("logs2").toString()) + "hello.note = two\n");
            ProcessBuilder command = new ProcessBuilder(PortaProcess.LAUNCHER.toString(), "reload", "--config", conf.toString())
                    .redirectErrorStream(true);
            command.environment().put("JAVA_HOME", System.getProperty("java.home")); // the JDK running these tests
            Process reload = command.start();
            String said = new String(reload.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertEquals(0, reload.waitFor(), said);
            assertTrue(said.contains("asked Porta (PID " + porta.process().pid() + ") to reload its config"), said);
            awaitAnswer(port, "/v/hello", "200 hello 1.0.0 two");
            awaitLine(porta, "Config reloaded from " + conf + " (plugins started anew with their new settings: hello)");
            awaitLine(porta, "WARN  [porta] " + conf + ":4: server.log-dir: needs a restart (the rest of the config is applied)");

            try (PortaProcess second = PortaProcess.start(dir, List.of(), "--config", conf.toString())) {
                assertEquals(1, second.awaitExit());
                assertTrue(second.output().contains("porta: another Porta (PID " + porta.process().pid() + ") is running with the data folder"),
                        second.output());
            }
            assertEquals("200 hello 1.0.0 two", get(port, "/v/hello"));
        }
        assertTrue(Files.notExists(dir.resolve("data/porta.pid")), "removed by a graceful stop");
    }

    @Test
    void aReloadWithANewPortKeepsPortaRunningAndListeningThere() throws Exception {
        Path root = Files.createDirectories(dir.resolve("www"));
        Path plugins = Files.createDirectories(dir.resolve("plugins"));
        hello("1.0.0").writeTo(plugins);
        Path conf = Files.createDirectories(dir.resolve("conf")).resolve("porta.properties");
        int first;
        int fresh;
        try (java.net.ServerSocket a = new java.net.ServerSocket(0); java.net.ServerSocket b = new java.net.ServerSocket(0)) {
            first = a.getLocalPort();
            fresh = b.getLocalPort();
        }
        String base = "server.host = 127.0.0.1\nserver.root = " + root + "\nserver.plugins = " + plugins
                + "\nserver.data-dir = " + dir.resolve("data") + "\nserver.log-dir = " + dir.resolve("logs") + "\n";
        Files.writeString(conf, base + "server.port = " + first + "\n");
        // no --port flag (PortaProcess.start gives one, which would win over the file's server.port at the reload too)
        ProcessBuilder command = new ProcessBuilder(PortaProcess.JAVA, "-jar", PortaProcess.JAR.toString(), "--config", conf.toString())
                .directory(dir.toFile());
        try (PortaProcess porta = PortaProcess.start(command)) {
            int port = porta.awaitListening();
            assertEquals(first, port);
            assertEquals("200 hello 1.0.0 -", get(port, "/v/hello"));
            Files.writeString(conf, base + "server.port = " + fresh + "\n");
            new ProcessBuilder("kill", "-HUP", Long.toString(porta.process().pid())).start().waitFor();
            awaitLine(porta, "Config reloaded from " + conf);
            Thread.sleep(1000); // the outage: the JVM ran its shutdown hook just after the reload
            assertTrue(porta.process().isAlive(), porta.output());
            assertFalse(porta.output().contains("Shutting down"), porta.output());
            assertEquals("200 hello 1.0.0 -", get(fresh, "/v/hello"));
        }
    }

    @Test
    void aJarIgnoredForTheSamePluginIdIsSaidOnceForEachOfItsVersionsNotAtEveryLook() throws Exception {
        Path plugins = Files.createDirectories(dir.resolve("plugins"));
        hello("1.0.0").writeTo(plugins);
        Files.move(hello("0.9.0").writeTo(Files.createDirectories(dir.resolve("built"))), plugins.resolve("hello-old.jar"));
        Path conf = Files.createDirectories(dir.resolve("conf")).resolve("porta.properties");
        String base = "server.root = " + Files.createDirectories(dir.resolve("www")) + "\nserver.plugins = " + plugins
                + "\nserver.data-dir = " + dir.resolve("data") + "\nserver.log-dir = " + dir.resolve("logs") + "\n";
        Files.writeString(conf, base);
        String ignored = "has the same Plugin-Id and is loaded instead";
        try (PortaProcess porta = PortaProcess.start(dir, List.of(), "--config", conf.toString())) {
            int port = porta.awaitListening();
            assertEquals("200 hello 1.0.0 -", get(port, "/v/hello"));
            PluginJar.of("other").requires(">=1.0.0 & <2.0.0").extension(VersionHandler.class)
                    .resource("dev/porta/server/deploy/sample/version.txt", "1.0.0").moveInto(plugins);
            awaitAnswer(port, "/v/other", "200 other 1.0.0");
            Files.writeString(conf, base + "hello.note = two\n");
            new ProcessBuilder("kill", "-HUP", Long.toString(porta.process().pid())).start().waitFor();
            awaitAnswer(port, "/v/hello", "200 hello 1.0.0 two");
            Thread.sleep(2000); // the look again after the reload, once the folder has settled
            assertEquals(1, porta.output().split(ignored, -1).length - 1, porta.output());
            // a new version of the ignored jar is spoken of anew, once
            Files.move(hello("0.9.1").writeTo(dir.resolve("built2")), plugins.resolve("hello-old.jar"),
                    java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            awaitLine(porta, "(hello-old.jar, version 0.9.1) is ignored");
            Thread.sleep(1500);
            assertEquals(2, porta.output().split(ignored, -1).length - 1, porta.output());
        }
    }
}

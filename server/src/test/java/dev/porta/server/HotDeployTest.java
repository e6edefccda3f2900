package dev.porta.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.porta.server.deploy.sample.FailsToStart;
import dev.porta.server.deploy.sample.ProvidesCertificates;
import dev.porta.server.deploy.sample.VersionHandler;
import dev.porta.server.testing.ClientLoop;
import dev.porta.server.testing.PluginJar;
import java.io.IOException;
import java.lang.ref.WeakReference;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hot deploy: plugin jars added to, replaced in and removed from a running Porta's plugins folder, over
 * real sockets. The watcher's own timing (settling) is tested with the watcher; the tests that change
 * the folder many times apply it at once ({@code deployNow}).
 */
@Timeout(120)
class HotDeployTest {

    private static final long WITHIN_NANOS = 10_000_000_000L;

    @TempDir
    Path dir;

    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private Path plugins() {
        return dir.resolve("plugins");
    }

    private static PluginJar hello(String id, String version) {
        return PluginJar.of(id).version(version).requires(">=1.0.0 & <2.0.0").extension(VersionHandler.class)
                .resource("dev/porta/server/deploy/sample/version.txt", version);
    }

    private EmbeddedPorta start(String config) throws IOException {
        Files.createDirectories(plugins());
        Path root = Files.createDirectories(dir.resolve("www"));
        return EmbeddedPorta.builder(root).home(dir).pluginJars(plugins())
                .config("server.data-dir = " + dir.resolve("data") + "\nserver.log-dir = " + dir.resolve("logs") + "\n" + config).start();
    }

    private HttpResponse<String> get(EmbeddedPorta porta, String path) throws IOException, InterruptedException {
        return client.send(HttpRequest.newBuilder(porta.uri(path)).timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** What {@code path} answers (status and body) once it satisfies {@code wanted}, waiting at most 10 s. */
    private String await(EmbeddedPorta porta, String path, Predicate<String> wanted) throws Exception {
        long deadline = System.nanoTime() + WITHIN_NANOS;
        String seen;
        do {
            HttpResponse<String> r = get(porta, path);
            seen = r.statusCode() + " " + (r.statusCode() == 200 ? r.body() : "");
            if (wanted.test(seen)) return seen;
            Thread.sleep(50);
        } while (System.nanoTime() < deadline);
        throw new AssertionError("within 10 s, " + path + " still answered '" + seen + "'");
    }

    @Test
    void aDroppedJarIsLoadedThenSwappedForANewVersionThenUnloadedWhenRemoved() throws Exception {
        try (EmbeddedPorta porta = start("")) {
            assertEquals("404 ", await(porta, "/v/hello", s -> true));
            hello("hello", "1.0.0").moveInto(plugins());
            await(porta, "/v/hello", "200 hello 1.0.0 -"::equals);
            hello("hello", "1.1.0").moveInto(plugins()); // the same file name, renamed over the old jar
            await(porta, "/v/hello", "200 hello 1.1.0 -"::equals);
            assertEquals("1.1.0", porta.pluginVersions().get("hello"));
            Files.delete(plugins().resolve("hello.jar"));
            await(porta, "/v/hello", "404 "::equals);
            assertFalse(porta.pluginVersions().containsKey("hello"));
        }
    }

    @Test
    void withAChainAJarLeftOutIsLoadedByTheReloadThatNamesItInTheChain() throws Exception {
        hello("hello", "1.0.0").writeTo(plugins());
        String base = "server.plugins.watch = off\nserver.data-dir = " + dir.resolve("data") + "\nserver.log-dir = " + dir.resolve("logs") + "\n";
        try (EmbeddedPorta porta = start("server.plugins.watch = off\nserver.chain = hello\n")) {
            hello("other", "1.0.0").moveInto(plugins());
            porta.porta().deployNow();
            assertFalse(porta.pluginVersions().containsKey("other"), "not in the chain: left out");
            assertTrue(porta.reload(base + "server.chain = other, hello\nother.note = added\n"), "the documented flow: name it, reload");
            assertEquals("200 other 1.0.0 added", await(porta, "/v/other", s -> s.startsWith("200")));
            assertEquals(List.of("other", "hello"), porta.handlerChain());
            porta.porta().deployNow();
            assertEquals("1.0.0", porta.pluginVersions().get("other"), "hot deploy sees its jar as running, and keeps it");
            // a chain naming a jar that does not start keeps the running configuration, and leaves nothing loaded
            hello("third", "1.0.0").moveInto(plugins());
            assertFalse(porta.reload(base + "server.chain = other, hello, third\nother.note = added\nthird.fail = yes\n"));
            assertFalse(porta.pluginVersions().containsKey("third"));
            assertEquals(List.of("other", "hello"), porta.handlerChain());
        }
    }

    @Test
    void aJarStillBeingWrittenIsNeverLoadedAndIsLoadedOnceItSettles() throws Exception {
        try (EmbeddedPorta porta = start("")) {
            // a complete jar whose time keeps changing: it has not settled (written in place, say)
            Path built = hello("hello", "1.0.0").writeTo(dir.resolve("built"));
            Path jar = plugins().resolve("hello.jar");
            Files.copy(built, jar);
            for (int i = 0; i < 10; i++) {
                Files.setLastModifiedTime(jar, FileTime.fromMillis(System.currentTimeMillis() + i * 1000L));
                assertEquals(404, get(porta, "/v/hello").statusCode(), "loaded before it settled");
                Thread.sleep(300);
            }
            // a half-written jar that stopped changing: its central directory does not read, so it is not loaded
            byte[] whole = Files.readAllBytes(built);
            Files.write(jar, java.util.Arrays.copyOf(whole, whole.length / 2));
            long until = System.nanoTime() + 2_500_000_000L;
            while (System.nanoTime() < until) {
                assertEquals(404, get(porta, "/v/hello").statusCode(), "a half-written jar was loaded");
                Thread.sleep(100);
            }
            Files.write(jar, whole);
            await(porta, "/v/hello", "200 hello 1.0.0 -"::equals);
        }
    }

    @Test
    void ofTwoJarsWithOneIdTheHigherVersionRunsAndTheOtherTakesOverWhenItGoes() throws Exception {
        try (EmbeddedPorta porta = start("")) {
            hello("hello", "1.0.0").fileName("hello-1.0.jar").moveInto(plugins());
            hello("hello", "1.1.0").fileName("hello-1.1.jar").moveInto(plugins());
            await(porta, "/v/hello", "200 hello 1.1.0 -"::equals);
            hello("hello", "0.9.0").fileName("hello-0.9.jar").moveInto(plugins());
            Thread.sleep(2500); // settled and looked at: a lower version changes nothing
            assertEquals("200 hello 1.1.0 -", await(porta, "/v/hello", s -> true));
            Files.delete(plugins().resolve("hello-1.1.jar"));
            await(porta, "/v/hello", "200 hello 1.0.0 -"::equals);
        }
    }

    @Test
    void removingAPluginWhoseSettingsAreInTheConfigIsRefusedUntilAReloadRemovesThem() throws Exception {
        hello("hello", "1.0.0").writeTo(plugins());
        String base = "server.data-dir = " + dir.resolve("data") + "\nserver.log-dir = " + dir.resolve("logs") + "\n";
        try (EmbeddedPorta porta = start("hello.note = configured\n")) {
            assertEquals("200 hello 1.0.0 configured", await(porta, "/v/hello", s -> true));
            Files.delete(plugins().resolve("hello.jar"));
            Thread.sleep(2500); // looked at: refused
            assertEquals("200 hello 1.0.0 configured", await(porta, "/v/hello", s -> true), "fail closed: the plugin stays");
            assertEquals("1.0.0", porta.pluginVersions().get("hello"));
            assertTrue(porta.reload(base)); // its settings gone: the removal goes through now
            await(porta, "/v/hello", "404 "::equals);
            assertFalse(porta.pluginVersions().containsKey("hello"));
        }
    }

    @Test
    void aNewHandlerThatServerChainDoesNotNameIsNotPlaced() throws Exception {
        hello("hello", "1.0.0").writeTo(plugins());
        try (EmbeddedPorta porta = start("server.plugins.watch = off\nserver.chain = hello\n")) {
            hello("other", "1.0.0").moveInto(plugins());
            porta.porta().deployNow();
            assertEquals(404, get(porta, "/v/other").statusCode());
            assertFalse(porta.pluginVersions().containsKey("other"));
            assertEquals(List.of("hello"), porta.handlerChain());
            assertEquals("200 hello 1.0.0 -", await(porta, "/v/hello", s -> true));
        }
    }

    @Test
    void aPluginThatFailsToStartOrNeedsAnotherSpiIsLeftOutAndAFailedSwapKeepsTheOldVersion() throws Exception {
        hello("hello", "1.0.0").writeTo(plugins());
        try (EmbeddedPorta porta = start("server.plugins.watch = off\n")) {
            PluginJar.of("broken").extension(FailsToStart.class).moveInto(plugins());
            hello("future", "2.0.0").requires(">=2.0.0 & <3.0.0").moveInto(plugins());
            porta.porta().deployNow();
            assertEquals(List.of("hello"), List.copyOf(porta.pluginVersions().keySet()));
            assertEquals(404, get(porta, "/v/future").statusCode(), "refused by the SPI check at run time too");
            // a new jar of hello that fails to start: the running version keeps serving
            PluginJar.of("hello").version("1.1.0").extension(FailsToStart.class).moveInto(plugins());
            porta.porta().deployNow();
            assertEquals("200 hello 1.0.0 -", await(porta, "/v/hello", s -> true));
            assertEquals("1.0.0", porta.pluginVersions().get("hello"));
        }
    }

    @Test
    void aCertificateProviderIsNeitherLoadedNorRemovedWhilePortaRuns() throws Exception {
        // the HTTPS listener asks the providers it started with: one changed at run time would not be asked
        try (EmbeddedPorta porta = start("server.plugins.watch = off\n")) {
            PluginJar.of("certs").extension(ProvidesCertificates.class).moveInto(plugins());
            porta.porta().deployNow();
            assertFalse(porta.pluginVersions().containsKey("certs"));
            assertEquals(404, get(porta, "/certs").statusCode());
        }
        Files.delete(plugins().resolve("certs.jar"));
        PluginJar.of("certs").extension(ProvidesCertificates.class).writeTo(plugins());
        try (EmbeddedPorta porta = start("server.plugins.watch = off\n")) {
            assertEquals(200, get(porta, "/certs").statusCode(), "loaded at start-up");
            Files.delete(plugins().resolve("certs.jar"));
            porta.porta().deployNow();
            assertTrue(porta.pluginVersions().containsKey("certs"), "kept until Porta restarts");
            assertEquals(200, get(porta, "/certs").statusCode());
        }
    }

    @Test
    void anExchangeInFlightFinishesOnTheChainItStartedWithWhileNewOnesTakeTheNewOne() throws Exception {
        hello("hello", "1.0.0").writeTo(plugins());
        try (EmbeddedPorta porta = start("server.plugins.watch = off\nhello.slow = 1500\n")) {
            CompletableFuture<HttpResponse<String>> inFlight = client.sendAsync(
                    HttpRequest.newBuilder(porta.uri("/v/hello")).build(), HttpResponse.BodyHandlers.ofString());
            Thread.sleep(400); // it is in the old handler now
            hello("hello", "1.1.0").moveInto(plugins());
            porta.porta().deployNow();
            assertEquals("hello 1.1.0 -", get(porta, "/v/hello").body(), "a new exchange runs on the new chain");
            HttpResponse<String> old = inFlight.get();
            assertEquals(200, old.statusCode());
            assertEquals("hello 1.0.0 -", old.body(), "the exchange in flight finished on the chain it started with");
        }
    }

    @Test
    void noRequestFailsWhileAPluginIsSwappedAndAnotherAddedAndRemoved() throws Exception {
        hello("hello", "1.0.0").writeTo(plugins());
        try (EmbeddedPorta porta = start("server.plugins.watch = off\n")) {
            ClientLoop clients = ClientLoop.start(4, () -> {
                HttpResponse<String> r = get(porta, "/v/hello");
                return r.statusCode() + " " + r.body();
            }, answer -> answer.startsWith("200 hello 1."));
            for (int i = 1; i <= 10; i++) {
                hello("hello", "1." + i + ".0").moveInto(plugins());
                porta.porta().deployNow();
                assertEquals("hello 1." + i + ".0 -", get(porta, "/v/hello").body());
                if (i % 2 == 1) hello("extra", "1.0.0").moveInto(plugins());
                else Files.delete(plugins().resolve("extra.jar"));
                porta.porta().deployNow();
                Thread.sleep(50);
            }
            clients.close();
            assertEquals(List.of(), clients.failures());
            assertTrue(clients.ok() > 40, "requests answered during the swaps: " + clients.ok());
        }
    }

    @Test
    void aPluginReplaced50TimesLeavesNoClassLoaderBehindAndTheHeapFlat() throws Exception {
        hello("hello", "1.0.0").writeTo(plugins());
        List<WeakReference<ClassLoader>> old = new ArrayList<>();
        try (EmbeddedPorta porta = start("server.plugins.watch = off\n")) {
            long heapAt10 = 0;
            for (int i = 1; i <= 50; i++) {
                old.add(new WeakReference<>(loaderOf(porta)));
                hello("hello", "2." + i + ".0").moveInto(plugins());
                porta.porta().deployNow();
                assertEquals("hello 2." + i + ".0 -", get(porta, "/v/hello").body());
                if (i == 10) heapAt10 = usedHeapAfterGc(old);
            }
            awaitRetired(porta);
            long heapAt50 = usedHeapAfterGc(old);
            int alive = 0;
            for (WeakReference<ClassLoader> ref : old) if (ref.get() != null) alive++;
            assertEquals(0, alive, "class loaders of replaced versions still reachable");
            assertTrue(heapAt50 - heapAt10 < 16L << 20, "heap grew from " + (heapAt10 >> 20) + " MB to " + (heapAt50 >> 20) + " MB");
        }
    }

    private static ClassLoader loaderOf(EmbeddedPorta porta) {
        return porta.porta().generation().plugins().get("hello").handlers().get(0).instance().getClass().getClassLoader();
    }

    /** Waits until the replaced generations' plugins have been stopped and unloaded. */
    private static void awaitRetired(EmbeddedPorta porta) throws InterruptedException {
        long deadline = System.nanoTime() + WITHIN_NANOS;
        while (Thread.getAllStackTraces().keySet().stream().anyMatch(t -> t.getName().startsWith("porta-retire-"))
                && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
    }

    /** Used heap after collecting until the weak references cleared (or 20 tries). */
    private static long usedHeapAfterGc(List<WeakReference<ClassLoader>> refs) throws InterruptedException {
        for (int i = 0; i < 20; i++) {
            System.gc();
            Thread.sleep(50);
            if (refs.stream().allMatch(r -> r.get() == null)) break;
        }
        Runtime rt = Runtime.getRuntime();
        return rt.totalMemory() - rt.freeMemory();
    }
}

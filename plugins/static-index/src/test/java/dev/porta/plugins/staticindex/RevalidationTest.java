package dev.porta.plugins.staticindex;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.porta.testkit.PortaTestServer;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A file whose content is in memory is looked up at most once per {@code static-index.cache.revalidate}:
 * an edit, a deletion or a new variant is still seen within it, and nothing trusted meanwhile can send what
 * may not be sent (a link out of the root, a file registered as never served).
 */
class RevalidationTest {

    /** The interval of these tests; the default is 1 s. */
    private static final long INTERVAL_MILLIS = 300;
    /** How long a test waits for a change to be seen: the interval, and room for a busy machine. */
    private static final long SEEN_WITHIN_MILLIS = INTERVAL_MILLIS + 3_000;

    @TempDir
    Path dir;
    Path root;
    PortaTestServer server;
    final HttpClient client = HttpClient.newHttpClient();

    @BeforeEach
    void site() throws Exception {
        root = Files.createDirectories(dir.resolve("www"));
        Files.writeString(root.resolve("page.txt"), "version 1");
    }

    @AfterEach
    void stop() {
        if (server != null) server.close();
    }

    private void start(String config) {
        server = PortaTestServer.builder(root).config(config).handler("static-index", new StaticIndex()).start();
    }

    private HttpResponse<String> get(String path, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(server.uri(path));
        if (headers.length > 0) b.headers(headers);
        return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Asks for {@code path} until {@code seen} holds, at most {@link #SEEN_WITHIN_MILLIS}; the last answer. */
    private HttpResponse<String> until(String path, Predicate<HttpResponse<String>> seen, String... headers) throws Exception {
        long deadline = System.nanoTime() + SEEN_WITHIN_MILLIS * 1_000_000;
        HttpResponse<String> r = get(path, headers);
        while (!seen.test(r) && System.nanoTime() < deadline) {
            Thread.sleep(20);
            r = get(path, headers);
        }
        return r;
    }

    /** Rewrites {@code file} with {@code text}, with a modification time it never had, as an editor saving would. */
    private static void edit(Path file, String text, int generation) throws Exception {
        Path next = file.resolveSibling(file.getFileName() + ".new");
        Files.writeString(next, text);
        Files.setLastModifiedTime(next, FileTime.from(Instant.parse("2026-01-01T00:00:00Z").plusSeconds(generation)));
        Files.move(next, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    @Test
    void anEditIsSeenWithinTheInterval() throws Exception {
        start("static-index.cache.revalidate = " + INTERVAL_MILLIS + "ms\n");
        assertEquals("version 1", get("/page.txt").body());
        for (int generation = 2; generation <= 4; generation++) {
            String text = "version " + generation; // the same length: only time and inode tell the versions apart
            edit(root.resolve("page.txt"), text, generation);
            assertEquals(text, until("/page.txt", r -> r.body().equals(text)).body());
        }
        // an in-place edit keeps the inode: the time and size still tell
        Files.writeString(root.resolve("page.txt"), "a longer version 5");
        assertEquals("a longer version 5", until("/page.txt", r -> r.body().equals("a longer version 5")).body());
    }

    @Test
    void theDefaultIntervalSeesAnEditTooAndZeroSeesItAtOnce() throws Exception {
        start("");
        assertEquals("version 1", get("/page.txt").body());
        edit(root.resolve("page.txt"), "version 2", 2);
        assertEquals("version 2", until("/page.txt", r -> r.body().equals("version 2")).body());
        server.close();

        start("static-index.cache.revalidate = 0\n");
        for (int generation = 3; generation <= 6; generation++) {
            assertEquals("version " + (generation - 1), get("/page.txt").body());
            edit(root.resolve("page.txt"), "version " + generation, generation);
            assertEquals("version " + generation, get("/page.txt").body()); // no interval: the next request sees it
        }
    }

    @Test
    void aDeletedFileIsGoneWithinTheInterval() throws Exception {
        start("static-index.cache.revalidate = " + INTERVAL_MILLIS + "ms\n");
        assertEquals(200, get("/page.txt").statusCode());
        Files.delete(root.resolve("page.txt"));
        assertEquals(404, until("/page.txt", r -> r.statusCode() == 404).statusCode());
    }

    @Test
    void aNewPrecompressedVariantIsSeenWithinTheInterval() throws Exception {
        start("static-index.cache.revalidate = " + INTERVAL_MILLIS + "ms\n");
        HttpResponse<String> plain = get("/page.txt", "Accept-Encoding", "gzip");
        assertFalse(plain.headers().firstValue("Content-Encoding").isPresent()); // page.txt.gz is remembered missing
        Files.writeString(root.resolve("page.txt.gz"), "pretend gzip");
        HttpResponse<String> gz = until("/page.txt",
                r -> r.headers().firstValue("Content-Encoding").isPresent(), "Accept-Encoding", "gzip");
        assertEquals("gzip", gz.headers().firstValue("Content-Encoding").orElseThrow());
        assertEquals("pretend gzip", gz.body());
    }

    @Test
    void aFileSwappedForALinkOutOfTheRootIsNeverSent() throws Exception {
        Path outside = Files.writeString(dir.resolve("secret.txt"), "outside secret!!");
        start("static-index.cache.revalidate = 60s\n"); // long: every request below comes while the lookup is trusted
        assertEquals("version 1", get("/page.txt").body());
        Path page = root.resolve("page.txt");
        Files.delete(page);
        Files.createSymbolicLink(page, outside);
        for (int i = 0; i < 20; i++) {
            HttpResponse<String> r = get("/page.txt");
            assertFalse(r.body().contains("outside"), r.body());
            // ranges are read from the file by name: the lookup is made again first, which finds the link
            HttpResponse<String> ranged = get("/page.txt", "Range", "bytes=0-6");
            assertFalse(ranged.body().contains("outside"), ranged.body());
            assertEquals(404, ranged.statusCode());
        }
        // once looked at again (the range request above did), the link is refused for every request
        assertEquals(404, get("/page.txt").statusCode());
    }

    @Test
    void aScriptLookupIsTrustedButAScriptSwappedForALinkOutOfTheRootIsNeverSentOrRun() throws Exception {
        Path outside = Files.writeString(dir.resolve("secret.php"), "outside secret!!");
        Path script = Files.writeString(root.resolve("run.php"), "<?php script source");
        java.util.concurrent.atomic.AtomicInteger passedDown = new java.util.concurrent.atomic.AtomicInteger();
        // stands in for the plugin that runs scripts (fastcgi): it looks the script up itself, never through a link
        dev.porta.spi.Handler runner = (request, chain) -> {
            passedDown.incrementAndGet();
            Path file = root.resolve(request.path().substring(1));
            return Files.isRegularFile(file, java.nio.file.LinkOption.NOFOLLOW_LINKS)
                    ? dev.porta.spi.Response.of(200).withBody(dev.porta.spi.Body.of("ran"))
                    : chain.next(request);
        };
        server = PortaTestServer.builder(root).config("static-index.cache.revalidate = 60s\n")
                .handler("static-index", new StaticIndex()).handler("runner", runner).start();
        assertEquals("ran", get("/run.php").body());
        Files.delete(script);
        Files.createSymbolicLink(script, outside);
        for (int i = 0; i < 5; i++) {
            // static-index trusts its lookup (a script is never sent, only passed on); the runner refuses the link,
            // and static-index, looking again, finds a link out of the site: not found, as any such link
            HttpResponse<String> r = get("/run.php");
            assertEquals(404, r.statusCode());
            assertFalse(r.body().contains("outside") || r.body().contains("source"), r.body());
        }
        assertEquals(6, passedDown.get(), "every request was passed to the runner, none answered from the trusted lookup");
        Files.delete(script);
        assertEquals(404, get("/run.php").statusCode(), "a script deleted within the interval is not found, not refused");
    }

    @Test
    void aFileRegisteredAsNeverServedIsRefusedAtOnce() throws Exception {
        start("static-index.cache.revalidate = 60s\n");
        assertEquals("version 1", get("/page.txt").body());
        server.neverServed().add(root.resolve("page.txt"));
        assertEquals(404, get("/page.txt").statusCode());
    }

    @Test
    void aFileSentFromDiskIsLookedUpOnEveryRequest() throws Exception {
        Files.writeString(root.resolve("big.txt"), "x".repeat(2048));
        start("static-index.cache.revalidate = 60s\nstatic-index.cache.max-file-bytes = 1k\n");
        assertEquals(2048, get("/big.txt").body().length());
        Files.delete(root.resolve("big.txt"));
        assertEquals(404, get("/big.txt").statusCode()); // not trusted: too big to be kept in memory
    }

    @Test
    void aNegativeIntervalStopsStartUpWithFileAndLine() {
        PortaTestServer.Builder b = PortaTestServer.builder(root).config("static-index.cache.revalidate = -1s\n")
                .handler("static-index", new StaticIndex());
        Exception e = org.junit.jupiter.api.Assertions.assertThrows(Exception.class, b::start);
        assertTrue(String.valueOf(e.getMessage()).contains("cache.revalidate"), e.getMessage());
    }
}

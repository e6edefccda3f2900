package dev.porta.plugins.staticindex;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.porta.server.testing.RawClient;
import dev.porta.testkit.PortaTestServer;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** static-index over real sockets, one rule per test. */
class StaticIndexTest {

    @TempDir
    Path dir;
    Path root;
    PortaTestServer server;
    final HttpClient client = HttpClient.newHttpClient();

    @BeforeEach
    void site() throws IOException {
        root = Files.createDirectories(dir.resolve("www"));
        Files.writeString(root.resolve("index.html"), "<h1>home</h1>");
        Files.writeString(root.resolve("404.html"), "<p>site 404</p>");
        Files.writeString(root.resolve("style.css"), "body{}");
        Files.writeString(root.resolve("data.json"), "{}");
        Files.write(root.resolve("blob.unknownext"), new byte[]{1, 2, 3});
        Files.writeString(root.resolve("digits.txt"), "0123456789");
        Files.createDirectories(root.resolve("docs"));
        Files.writeString(root.resolve("docs/index.html"), "docs index");
        Files.createDirectories(root.resolve("php"));
        Files.writeString(root.resolve("php/index.php"), "<?php echo 'secret source'; ?>");
        Files.writeString(root.resolve("script.php"), "<?php echo 'secret source'; ?>");
        Files.writeString(root.resolve("run.sh"), "#!/bin/sh\necho secret source");
        Files.createDirectories(root.resolve("empty"));
    }

    @AfterEach
    void stop() {
        if (server != null) server.close();
    }

    private PortaTestServer start(String config) {
        server = PortaTestServer.builder(root).config(config).handler("static-index", new StaticIndex()).start();
        return server;
    }

    private HttpResponse<String> get(String path, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(server.uri(path));
        if (headers.length > 0) b.headers(headers);
        return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void checkReportsABadSettingWithFileAndLineAndCreatesNothing() throws Exception {
        String config = "server.data-dir = " + dir.resolve("data") + "\nserver.log-dir = " + dir.resolve("logs") + "\n"
                + "static-index.autoindex = on\nstatic-index.symlinks = sometimes\n";
        assertEquals(List.of("test.properties:4: static-index.symlinks: 'sometimes' is neither 'inside' (links must stay under the root) nor 'follow'"),
                PortaTestServer.builder(root).config(config).handler("static-index", new StaticIndex()).check());
        assertEquals(List.of("test.properties:1: unknown key static-index.autoindx"),
                PortaTestServer.builder(root).config("static-index.autoindx = on\n").handler("static-index", new StaticIndex()).check());
        assertEquals(List.of("www"), listing(dir), "nothing created");
    }

    private static List<String> listing(Path folder) throws IOException {
        try (var files = Files.list(folder)) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void servesFilesAndFolderIndexes() throws Exception {
        start("");
        HttpResponse<String> home = get("/");
        assertEquals(200, home.statusCode());
        assertEquals("<h1>home</h1>", home.body());
        assertEquals("text/html; charset=utf-8", home.headers().firstValue("Content-Type").orElseThrow());
        assertEquals("nosniff", home.headers().firstValue("X-Content-Type-Options").orElseThrow());
        assertEquals("docs index", get("/docs/").body());
    }

    @Test
    void aFolderWithoutItsSlashIsRedirectedWithTheQueryKept() throws Exception {
        start("");
        HttpResponse<String> r = get("/docs?page=2");
        assertEquals(301, r.statusCode());
        assertEquals("/docs/?page=2", r.headers().firstValue("Location").orElseThrow());
    }

    @Test
    void missingFilesGetTheSite404() throws Exception {
        start("");
        HttpResponse<String> r = get("/nope.html");
        assertEquals(404, r.statusCode());
        assertEquals("<p>site 404</p>", r.body());
        assertEquals(404, get("/empty/").statusCode());
        assertEquals(404, get("/index.html/extra").statusCode());
    }

    @Test
    void scriptsAreNeverSentAsSource() throws Exception {
        start("");
        for (String path : new String[]{"/script.php", "/php/", "/run.sh", "/php/index.php"}) {
            HttpResponse<String> r = get(path);
            assertEquals(403, r.statusCode(), path);
            assertFalse(r.body().contains("secret source"), path);
        }
    }

    @Test
    void aPrecompressedCopyOfAScriptIsItsSourceAndNeverSent() throws Exception {
        Files.write(root.resolve("script.php.gz"), new byte[] {0x1f, (byte) 0x8b, 8, 0});
        Files.writeString(root.resolve("script.php.br"), "brotli source");
        start("");
        for (String path : new String[] {"/script.php.gz", "/script.php.br"}) {
            assertEquals(403, get(path).statusCode(), path);
        }
        assertEquals(403, get("/script.php", "Accept-Encoding", "gzip, br").statusCode());
    }

    @Test
    void otherMethodsOnAFileAre405() throws Exception {
        start("");
        HttpResponse<String> r = client.send(HttpRequest.newBuilder(server.uri("/style.css"))
                .POST(HttpRequest.BodyPublishers.ofString("x")).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(405, r.statusCode());
        assertEquals("GET, HEAD", r.headers().firstValue("Allow").orElseThrow());
    }

    @Test
    void headHasTheHeadersOfGet() throws Exception {
        start("");
        String r = RawClient.exchange(server.port(), "HEAD /digits.txt HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n");
        assertTrue(r.contains("Content-Length: 10\r\n"), r);
        assertTrue(r.endsWith("\r\n\r\n"), "no body: " + r);
    }

    @Test
    void contentTypesComeFromTheTableAndTheConfig() throws Exception {
        start("static-index.type.unknownext = application/x-porta-test\n");
        assertEquals("text/css; charset=utf-8", get("/style.css").headers().firstValue("Content-Type").orElseThrow());
        assertEquals("application/json; charset=utf-8", get("/data.json").headers().firstValue("Content-Type").orElseThrow());
        assertEquals("text/plain; charset=utf-8", get("/digits.txt").headers().firstValue("Content-Type").orElseThrow());
        assertEquals("application/x-porta-test", get("/blob.unknownext").headers().firstValue("Content-Type").orElseThrow());
        Files.write(root.resolve("x.qqq"), new byte[]{0});
        assertEquals("application/octet-stream", get("/x.qqq").headers().firstValue("Content-Type").orElseThrow());
        assertEquals("font/woff2", new MediaTypes(java.util.Map.of()).of("a.woff2"));
        assertEquals("application/wasm", new MediaTypes(java.util.Map.of()).of("a.WASM"));
        assertEquals("image/svg+xml; charset=utf-8", new MediaTypes(java.util.Map.of()).of("a.svg"));
    }

    @Test
    void dotfilesAreHiddenButWellKnownIsServed() throws Exception {
        Files.writeString(root.resolve(".env"), "DB_PASSWORD=hunter2");
        Files.createDirectories(root.resolve(".git"));
        Files.writeString(root.resolve(".git/config"), "[core] secret");
        Files.createDirectories(root.resolve(".well-known"));
        Files.writeString(root.resolve(".well-known/security.txt"), "Contact: me");
        start("");
        assertEquals(404, get("/.env").statusCode());
        assertEquals(404, get("/.git/config").statusCode());
        assertEquals(404, get("/.git/").statusCode());
        assertEquals(200, get("/.well-known/security.txt").statusCode());
        assertEquals("Contact: me", get("/.well-known/security.txt").body());
    }

    @Test
    void dotfilesCanBeAllowed() throws Exception {
        Files.writeString(root.resolve(".hello"), "hi");
        start("static-index.dotfiles = on\n");
        assertEquals("hi", get("/.hello").body());
    }

    @Test
    void registeredSecretsAreNeverServed() throws Exception {
        Path users = root.resolve("users.htpasswd");
        Files.writeString(users, "alice:$2y$10$abc");
        start("");
        server.neverServed().add(users);
        assertEquals(404, get("/users.htpasswd").statusCode());
    }

    @Test
    void symlinksOutOfTheRootAreNotFollowedUnlessAllowed() throws Exception {
        Path outside = Files.writeString(dir.resolve("outside.txt"), "outside secret");
        Files.createSymbolicLink(root.resolve("link.txt"), outside);
        Files.createSymbolicLink(root.resolve("inside-link.txt"), root.resolve("digits.txt"));
        start("");
        assertEquals(404, get("/link.txt").statusCode());
        assertEquals("0123456789", get("/inside-link.txt").body());
        server.close();
        start("static-index.symlinks = follow\n");
        assertEquals("outside secret", get("/link.txt").body());
    }

    @Test
    void aLinkToADotfileIsRefusedLikeTheDotfile() throws Exception {
        Files.writeString(root.resolve(".env"), "DB_PASSWORD=hunter2");
        Files.writeString(root.resolve("vis.txt"), "visible");
        Files.createSymbolicLink(root.resolve("dotlink.txt"), Path.of(".env"));
        Files.createSymbolicLink(root.resolve("vis.txt.gz"), Path.of(".env"));
        start("");
        HttpResponse<String> link = get("/dotlink.txt");
        assertEquals(404, link.statusCode());
        assertFalse(link.body().contains("hunter2"));
        HttpResponse<String> variant = get("/vis.txt", "Accept-Encoding", "gzip");
        assertEquals("visible", variant.body(), "the precompressed link to .env is no variant: the file itself is sent");
        assertFalse(variant.headers().firstValue("Content-Encoding").isPresent());
        server.close();
        start("static-index.dotfiles = on\n");
        assertEquals("DB_PASSWORD=hunter2", get("/dotlink.txt").body());
    }

    @Test
    void conditionalRequests() throws Exception {
        Files.setLastModifiedTime(root.resolve("digits.txt"), FileTime.from(Instant.parse("2026-01-02T03:04:05Z")));
        start("");
        HttpResponse<String> first = get("/digits.txt");
        String etag = first.headers().firstValue("ETag").orElseThrow();
        assertTrue(etag.matches("\"[0-9a-f]+-a\""), etag);
        assertEquals("Fri, 02 Jan 2026 03:04:05 GMT", first.headers().firstValue("Last-Modified").orElseThrow());
        HttpResponse<String> notModified = get("/digits.txt", "If-None-Match", etag);
        assertEquals(304, notModified.statusCode());
        assertEquals(etag, notModified.headers().firstValue("ETag").orElseThrow());
        assertEquals("", notModified.body());
        assertEquals(304, get("/digits.txt", "If-None-Match", "\"x\", W/" + etag).statusCode());
        assertEquals(200, get("/digits.txt", "If-None-Match", "\"other\"").statusCode());
        assertEquals(304, get("/digits.txt", "If-Modified-Since", "Fri, 02 Jan 2026 03:04:05 GMT").statusCode());
        assertEquals(200, get("/digits.txt", "If-Modified-Since", "Thu, 01 Jan 2026 00:00:00 GMT").statusCode());
        assertEquals(200, get("/digits.txt", "If-Modified-Since", "not a date").statusCode());
        assertEquals(412, get("/digits.txt", "If-Match", "\"other\"").statusCode());
        assertEquals(200, get("/digits.txt", "If-Match", etag).statusCode());
        assertEquals(412, get("/digits.txt", "If-Unmodified-Since", "Thu, 01 Jan 2026 00:00:00 GMT").statusCode());
    }

    @Test
    void ranges() throws Exception {
        start("");
        HttpResponse<String> one = get("/digits.txt", "Range", "bytes=2-4");
        assertEquals(206, one.statusCode());
        assertEquals("234", one.body());
        assertEquals("bytes 2-4/10", one.headers().firstValue("Content-Range").orElseThrow());
        assertEquals("bytes", one.headers().firstValue("Accept-Ranges").orElseThrow());
        assertEquals("789", get("/digits.txt", "Range", "bytes=-3").body());
        assertEquals("89", get("/digits.txt", "Range", "bytes=8-").body());
        assertEquals("0123456789", get("/digits.txt", "Range", "bytes=0-999").body());

        HttpResponse<String> none = get("/digits.txt", "Range", "bytes=20-30");
        assertEquals(416, none.statusCode());
        assertEquals("bytes */10", none.headers().firstValue("Content-Range").orElseThrow());
        assertEquals(200, get("/digits.txt", "Range", "lines=1-2").statusCode());

        HttpResponse<String> multi = get("/digits.txt", "Range", "bytes=0-1,5-6");
        assertEquals(206, multi.statusCode());
        String type = multi.headers().firstValue("Content-Type").orElseThrow();
        assertTrue(type.startsWith("multipart/byteranges; boundary="), type);
        String boundary = type.substring(type.indexOf('=') + 1);
        assertEquals("\r\n--" + boundary + "\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Range: bytes 0-1/10\r\n\r\n01"
                + "\r\n--" + boundary + "\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Range: bytes 5-6/10\r\n\r\n56"
                + "\r\n--" + boundary + "--\r\n", multi.body());

        String etag = get("/digits.txt").headers().firstValue("ETag").orElseThrow();
        assertEquals(206, get("/digits.txt", "Range", "bytes=0-0", "If-Range", etag).statusCode());
        assertEquals(200, get("/digits.txt", "Range", "bytes=0-0", "If-Range", "\"stale\"").statusCode());
    }

    @Test
    void overlappingAndAdjacentRangesAreMerged() throws Exception {
        start("");
        HttpResponse<String> overlapping = get("/digits.txt", "Range", "bytes=0-2,1-4");
        assertEquals(206, overlapping.statusCode());
        assertEquals("bytes 0-4/10", overlapping.headers().firstValue("Content-Range").orElseThrow());
        assertEquals("01234", overlapping.body());

        HttpResponse<String> adjacent = get("/digits.txt", "Range", "bytes=6-7,0-1,2-3");
        assertEquals(206, adjacent.statusCode());
        String type = adjacent.headers().firstValue("Content-Type").orElseThrow();
        String boundary = type.substring(type.indexOf('=') + 1);
        assertEquals("\r\n--" + boundary + "\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Range: bytes 0-3/10\r\n\r\n0123"
                + "\r\n--" + boundary + "\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Range: bytes 6-7/10\r\n\r\n67"
                + "\r\n--" + boundary + "--\r\n", adjacent.body());
    }

    @Test
    void rangesAddingUpToMoreThanTheFileGetTheWholeFileWith200() throws Exception {
        start("");
        HttpResponse<String> twice = get("/digits.txt", "Range", "bytes=0-5,4-9");
        assertEquals(200, twice.statusCode());
        assertEquals("0123456789", twice.body());
        assertTrue(twice.headers().firstValue("Content-Range").isEmpty());

        HttpResponse<String> amplified = get("/digits.txt", "Range", "bytes=" + String.join(",", java.util.Collections.nCopies(200, "0-")));
        assertEquals(200, amplified.statusCode());
        assertEquals("0123456789", amplified.body());
    }

    @Test
    void anOpenRangeStartingAtOrPastTheEndIs416() throws Exception {
        start("");
        for (String range : new String[]{"bytes=10-", "bytes=11-", "bytes=10-,20-"}) {
            HttpResponse<String> r = get("/digits.txt", "Range", range);
            assertEquals(416, r.statusCode(), range);
            assertEquals("bytes */10", r.headers().firstValue("Content-Range").orElseThrow(), range);
        }
        assertEquals("9", get("/digits.txt", "Range", "bytes=9-").body());
        Files.writeString(root.resolve("empty.txt"), "");
        assertEquals(200, get("/empty.txt", "Range", "bytes=0-").statusCode(), "an empty file is sent, as nginx does");
    }

    @Test
    void aFilePathWithATrailingSlashIs404() throws Exception {
        Files.createSymbolicLink(root.resolve("inside-link.txt"), root.resolve("digits.txt"));
        start("");
        for (String path : new String[]{"/index.html/", "/docs/index.html/", "/inside-link.txt/", "/script.php/"}) {
            HttpResponse<String> r = get(path);
            assertEquals(404, r.statusCode(), path);
            assertEquals("<p>site 404</p>", r.body(), path);
        }
        assertEquals("docs index", get("/docs/").body());
    }

    @Test
    void theServersLogAndDataFoldersAreNeverServed() throws Exception {
        Files.createDirectories(root.resolve("logs"));
        Files.writeString(root.resolve("logs/access.log"), "10.0.0.1 - alice [01/Jan/2026] \"GET / HTTP/1.1\" 200");
        Files.createDirectories(root.resolve("data/access-control"));
        Files.writeString(root.resolve("data/access-control/state.txt"), "plugin data");
        Files.writeString(root.resolve("logs-archive.txt"), "a sibling whose name starts like the folder");
        Files.createSymbolicLink(root.resolve("to-logs"), root.resolve("logs"));
        start("server.log-dir = " + root.resolve("logs") + "\nserver.data-dir = " + root.resolve("data")
                + "\nstatic-index.autoindex = on\n");
        for (String path : new String[]{"/logs/access.log", "/logs/", "/logs", "/data/access-control/state.txt", "/data/",
                "/to-logs/access.log", "/to-logs/"}) {
            HttpResponse<String> r = get(path);
            assertEquals(404, r.statusCode(), path);
            assertFalse(r.body().contains("alice") || r.body().contains("plugin data"), path);
        }
        String listing = get("/").body();
        assertFalse(listing.contains("access.log"), listing);
        assertEquals("a sibling whose name starts like the folder", get("/logs-archive.txt").body());
    }

    @Test
    void aLogFolderCreatedAfterStartIsNeverServedEither() throws Exception {
        start("server.log-dir = " + root.resolve("var/log") + "\n");
        Files.createDirectories(root.resolve("var/log"));
        Files.writeString(root.resolve("var/log/access.log"), "10.0.0.1 - alice");
        assertEquals(404, get("/var/log/access.log").statusCode());
    }

    @Test
    void aLogFolderReachedByAFollowedLinkIsNeverServed() throws Exception {
        Path logs = Files.createDirectories(dir.resolve("logs"));
        Files.writeString(logs.resolve("access.log"), "10.0.0.1 - alice");
        Files.writeString(dir.resolve("shared.txt"), "shared");
        Files.createSymbolicLink(root.resolve("up"), dir);
        start("server.log-dir = " + logs + "\nstatic-index.symlinks = follow\n");
        assertEquals("shared", get("/up/shared.txt").body());
        assertEquals(404, get("/up/logs/access.log").statusCode());
    }

    @Test
    void aDataFolderThatHoldsTheSiteDoesNotHideIt() throws Exception {
        start("server.data-dir = " + dir + "\n");
        assertEquals("<h1>home</h1>", get("/").body());
    }

    @Test
    void anExplicitRefusalBeatsTheWildcard() throws Exception {
        Files.writeString(root.resolve("app.js"), "plain");
        Files.writeString(root.resolve("app.js.gz"), "gzipped");
        Files.writeString(root.resolve("app.js.br"), "brotli");
        start("");
        assertEquals("gzipped", get("/app.js", "Accept-Encoding", "*, br;q=0").body());
        assertEquals("gzipped", get("/app.js", "Accept-Encoding", "br;q=0, *").body());
        assertEquals("plain", get("/app.js", "Accept-Encoding", "*, br;q=0, gzip;q=0").body());
        assertEquals("brotli", get("/app.js", "Accept-Encoding", "*").body());
        assertEquals("plain", get("/app.js", "Accept-Encoding", "*;q=0").body());
    }

    @Test
    void theClientsWeightsChooseBetweenBrAndGzip() throws Exception {
        Files.writeString(root.resolve("app.js"), "plain");
        Files.writeString(root.resolve("app.js.gz"), "gzipped");
        Files.writeString(root.resolve("app.js.br"), "brotli");
        start("");
        assertEquals("gzipped", get("/app.js", "Accept-Encoding", "gzip;q=0.5, br;q=0.4").body());
        assertEquals("brotli", get("/app.js", "Accept-Encoding", "gzip;q=0.4, br;q=0.5").body());
        assertEquals("brotli", get("/app.js", "Accept-Encoding", "gzip, br").body(), "at equal weight, br");
    }

    @Test
    void precompressedVariantsForClientsThatAcceptThem() throws Exception {
        Files.writeString(root.resolve("app.js"), "plain");
        Files.writeString(root.resolve("app.js.gz"), "gzipped");
        Files.writeString(root.resolve("app.js.br"), "brotli");
        start("");
        HttpResponse<String> plain = get("/app.js", "Accept-Encoding", "identity");
        assertEquals("plain", get("/app.js").body(), "a client that sends no Accept-Encoding gets the file itself");
        HttpResponse<String> gz = get("/app.js", "Accept-Encoding", "gzip, deflate");
        HttpResponse<String> br = get("/app.js", "Accept-Encoding", "gzip, br");
        HttpResponse<String> refusedBr = get("/app.js", "Accept-Encoding", "gzip, br;q=0");
        assertEquals("plain", plain.body());
        assertEquals("gzipped", gz.body());
        assertEquals("gzip", gz.headers().firstValue("Content-Encoding").orElseThrow());
        assertEquals("brotli", br.body());
        assertEquals("br", br.headers().firstValue("Content-Encoding").orElseThrow());
        assertEquals("gzipped", refusedBr.body());
        for (HttpResponse<String> r : java.util.List.of(plain, gz, br)) {
            assertEquals("Accept-Encoding", r.headers().firstValue("Vary").orElseThrow());
            assertEquals("text/javascript; charset=utf-8", r.headers().firstValue("Content-Type").orElseThrow());
        }
        assertNotEquals(plain.headers().firstValue("ETag"), gz.headers().firstValue("ETag"));
        assertNotEquals(gz.headers().firstValue("ETag"), br.headers().firstValue("ETag"));
    }

    @Test
    void anEditOnDiskIsServedAtOnceWithNoRevalidationInterval() throws Exception {
        start("static-index.cache.revalidate = 0\n"); // the default trusts a lookup for 1 s: RevalidationTest
        Path file = root.resolve("live.txt");
        Files.writeString(file, "version one");
        assertEquals("version one", get("/live.txt").body());
        assertEquals("version one", get("/live.txt").body());
        Files.writeString(file, "version two"); // same length
        assertEquals("version two", get("/live.txt").body());
        Files.writeString(file, "three");
        assertEquals("three", get("/live.txt").body());
    }

    @Test
    void internationalFileNames() throws Exception {
        Files.writeString(root.resolve("with space.txt"), "space");
        Files.writeString(root.resolve("café.txt"), "accent");
        Files.writeString(root.resolve("漢字.txt"), "kanji");
        start("");
        assertEquals("space", get("/with%20space.txt").body());
        assertEquals("accent", get("/caf%C3%A9.txt").body());
        assertEquals("kanji", get("/%E6%BC%A2%E5%AD%97.txt").body());
    }

    @Test
    void cacheControlByPrefixAndExtension() throws Exception {
        Files.createDirectories(root.resolve("assets"));
        Files.writeString(root.resolve("assets/a.css"), "a");
        start("static-index.cache-control./assets/ = public, max-age=31536000, immutable\n"
                + "static-index.cache-control.*.css = max-age=60\n");
        assertEquals("public, max-age=31536000, immutable", get("/assets/a.css").headers().firstValue("Cache-Control").orElseThrow());
        assertEquals("max-age=60", get("/style.css").headers().firstValue("Cache-Control").orElseThrow());
        assertTrue(get("/digits.txt").headers().firstValue("Cache-Control").isEmpty());
    }

    @Test
    void autoindexListsAFolderSafely() throws Exception {
        Files.createDirectories(root.resolve("files/sub dir"));
        Files.writeString(root.resolve("files/b.txt"), "b");
        Files.writeString(root.resolve("files/<script>.txt"), "x");
        Files.writeString(root.resolve("files/.hidden"), "x");
        Files.writeString(root.resolve("files/é.txt"), "x");
        start("static-index.autoindex = on\n");
        HttpResponse<String> r = get("/files/");
        assertEquals(200, r.statusCode());
        String html = r.body();
        assertFalse(html.contains("<script>"), html);
        assertTrue(html.contains("&lt;script&gt;.txt"), html);
        assertTrue(html.contains("href=\"%3Cscript%3E.txt\""), html);
        assertTrue(html.contains("href=\"sub%20dir/\""), html);
        assertTrue(html.contains("href=\"%C3%A9.txt\""), html);
        assertFalse(html.contains(".hidden"));
        assertTrue(html.indexOf("sub dir/") < html.indexOf("b.txt"), "folders first");
        assertTrue(html.indexOf("&lt;script&gt;") < html.indexOf("b.txt"), "sorted by name");
    }

    @Test
    void badSettingsNameFileAndLine() {
        String message = org.junit.jupiter.api.Assertions.assertThrows(dev.porta.spi.ConfigException.class,
                () -> start("\nstatic-index.symlinks = sometimes\n")).getMessage();
        assertTrue(message.startsWith("test.properties:2: static-index.symlinks:"), message);
        String unknown = org.junit.jupiter.api.Assertions.assertThrows(dev.porta.spi.ConfigException.class,
                () -> start("static-index.autoindx = on\n")).getMessage();
        assertEquals("test.properties:1: unknown key static-index.autoindx", unknown);
        server = null;
    }

    @Test
    void smallFilesAndLargeFilesAreServedWhole() throws Exception {
        byte[] large = new byte[3 << 20];
        new java.util.Random(1).nextBytes(large);
        Files.write(root.resolve("large.bin"), large);
        start("");
        HttpResponse<byte[]> r = client.send(HttpRequest.newBuilder(server.uri("/large.bin")).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertArrayEquals(large, r.body());
        assertEquals("0123456789", new String(client.send(HttpRequest.newBuilder(server.uri("/digits.txt")).build(),
                HttpResponse.BodyHandlers.ofByteArray()).body(), StandardCharsets.UTF_8));
    }
}

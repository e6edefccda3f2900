package dev.porta.plugins.fastcgi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.porta.testkit.PortaTestServer;
import dev.porta.spi.Attributes;
import dev.porta.spi.Handler;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * End to end against a real PHP-FPM: Porta in this JVM with the fastcgi handler, PHP-FPM on a Unix socket.
 * A stand-in for access-control ahead of it marks {@code /private/} requests as user alice (the real
 * plugin's run is in {@link FastCgiIT}).
 */
@Timeout(60)
class FastCgiTest {

    @TempDir
    static Path dir;
    static PhpFpm fpm;
    static PortaTestServer server;
    static final HttpClient CLIENT = HttpClient.newHttpClient();

    /** What access-control does for a request it let in. */
    static final Handler ALICE = (request, chain) -> {
        if (request.path().startsWith("/private/")) request.attributes().set(Attributes.USER, "alice");
        return chain.next(request);
    };

    @BeforeAll
    static void start() throws Exception {
        PhpFpm.assumeInstalled();
        Path root = TestSite.write(Files.createDirectories(dir.resolve("www")));
        fpm = PhpFpm.start(Files.createDirectories(dir.resolve("fpm")), 4);
        server = server(root, "fastcgi.answer-timeout = 2s\n");
    }

    static PortaTestServer server(Path root, String config) {
        return PortaTestServer.builder(root).config("fastcgi.address = " + fpm.address() + "\n" + config)
                .handler("access-control", ALICE).handler("fastcgi", new FastCgi()).start();
    }

    @AfterAll
    static void stop() throws Exception {
        if (server != null) server.close();
        if (fpm != null) fpm.close();
    }

    static HttpResponse<String> get(PortaTestServer s, String path, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(s.uri(path));
        if (headers.length > 0) b.headers(headers);
        return CLIENT.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    static HttpResponse<String> postForm(PortaTestServer s, String form) throws Exception {
        return CLIENT.send(HttpRequest.newBuilder(s.uri("/form.php")).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
    }

    static HttpResponse<String> get(String path, String... headers) throws Exception {
        return get(server, path, headers);
    }

    @Test
    void aFolderRunsItsIndexPhp() throws Exception {
        assertEquals("root index", get("/").body());
        HttpResponse<String> r = get("/dir/");
        assertEquals(200, r.statusCode());
        assertEquals("dir index /dir/index.php", r.body());
    }

    @Test
    void passesTheCgiVariablesPhpExpects() throws Exception {
        HttpResponse<String> r = get("/env.php/extra/path?a=1&b=%20", "Proxy", "http://evil.example:8080",
                "Authorization", "Bearer secret", "X-Custom", "one", "Accept-Language", "fr");
        assertEquals(200, r.statusCode());
        assertEquals("application/json", r.headers().firstValue("Content-Type").orElseThrow());
        String env = r.body();
        assertVar(env, "SCRIPT_NAME", "/env.php");
        assertVar(env, "PATH_INFO", "/extra/path");
        assertVar(env, "QUERY_STRING", "a=1&b=%20");
        assertVar(env, "REQUEST_URI", "/env.php/extra/path?a=1&b=%20");
        assertVar(env, "REQUEST_METHOD", "GET");
        assertVar(env, "SERVER_NAME", "127.0.0.1");
        assertVar(env, "SERVER_PORT", Integer.toString(server.port()));
        assertVar(env, "REMOTE_ADDR", "127.0.0.1");
        assertVar(env, "SERVER_PROTOCOL", "HTTP/1.1");
        assertVar(env, "HTTP_X_CUSTOM", "one");
        assertVar(env, "HTTP_ACCEPT_LANGUAGE", "fr");
        assertVar(env, "GATEWAY_INTERFACE", "CGI/1.1");
        assertTrue(env.contains("\"SCRIPT_FILENAME\":\"" + dir.resolve("www/env.php").toRealPath().toString().replace("/", "\\/") + "\""), env);
        assertFalse(env.contains("HTTP_PROXY"), "httpoxy: the Proxy header is never passed: " + env);
        assertFalse(env.contains("secret"), "Authorization is passed only with pass-authorization: " + env);
        assertFalse(env.contains("\"HTTPS\""), env);
        assertFalse(env.contains("REMOTE_USER"), env);
    }

    @Test
    void passesAuthorizationOnlyWhenConfigured() throws Exception {
        try (PortaTestServer s = server(dir.resolve("www"), "fastcgi.pass-authorization = on\n")) {
            assertVar(get(s, "/env.php", "Authorization", "Bearer secret").body(), "HTTP_AUTHORIZATION", "Bearer secret");
        }
    }

    @Test
    void aUserThatAccessControlLetInIsRemoteUser() throws Exception {
        assertEquals("alice Basic", get("/private/whoami.php").body());
    }

    @Test
    void aFormPostReachesPhpIntact() throws Exception {
        String text = "é€ & = ? +%" + "x".repeat(100_000);
        String form = "name=" + URLEncoder.encode("Zoë", StandardCharsets.UTF_8)
                + "&text=" + URLEncoder.encode(text, StandardCharsets.UTF_8);
        HttpResponse<String> r = postForm(server, form);
        assertEquals(200, r.statusCode());
        assertTrue(r.body().contains("name=Zoë\n"), r.body());
        assertTrue(r.body().contains("text-md5=" + md5(text.getBytes(StandardCharsets.UTF_8))), r.body());
    }

    @Test
    void aMultipartUploadReachesPhpIntact() throws Exception {
        byte[] file = new byte[3 * 1024 * 1024 + 17];
        new Random(42).nextBytes(file);
        String boundary = "----porta-test-boundary";
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"name\"\r\n\r\nupload test\r\n"
                + "--" + boundary + "\r\nContent-Disposition: form-data; name=\"upload\"; filename=\"random.bin\"\r\n"
                + "Content-Type: application/octet-stream\r\n\r\n").getBytes(StandardCharsets.UTF_8));
        body.writeBytes(file);
        body.writeBytes(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        HttpResponse<String> r = CLIENT.send(HttpRequest.newBuilder(server.uri("/form.php"))
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray())).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode());
        assertTrue(r.body().contains("name=upload test\n"), r.body());
        assertTrue(r.body().contains("file-md5=" + md5(file) + "\n"), r.body());
        assertTrue(r.body().contains("file-size=" + file.length + "\n"), r.body());
    }

    @Test
    void aChunkedBodyReachesPhpWithItsLength() throws Exception {
        byte[] data = new byte[200_000];
        new Random(7).nextBytes(data);
        HttpResponse<String> r = CLIENT.send(HttpRequest.newBuilder(server.uri("/input.php"))
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(data))).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(md5(data) + " " + data.length, r.body());
    }

    @Test
    void cookiesAndASessionSurviveTwoRequests() throws Exception {
        HttpResponse<String> first = get("/session.php");
        assertEquals("visits=1", first.body());
        List<String> cookies = first.headers().allValues("Set-Cookie");
        assertTrue(cookies.stream().anyMatch(c -> c.startsWith("PHPSESSID=")), cookies.toString());
        assertTrue(cookies.stream().anyMatch(c -> c.startsWith("first=a")), "repeated Set-Cookie kept: " + cookies);
        assertTrue(cookies.stream().anyMatch(c -> c.startsWith("second=b")), "repeated Set-Cookie kept: " + cookies);
        String session = cookies.stream().filter(c -> c.startsWith("PHPSESSID=")).findFirst().orElseThrow().split(";")[0];
        assertEquals("visits=2", get("/session.php", "Cookie", session + "; first=a").body());
    }

    @Test
    void aLocationWithoutStatusIsA302AndStatusIsKept() throws Exception {
        HttpResponse<String> r = get("/redirect.php");
        assertEquals(302, r.statusCode());
        assertEquals("/index.php", r.headers().firstValue("Location").orElseThrow());
        HttpResponse<String> teapot = get("/teapot.php");
        assertEquals(418, teapot.statusCode());
        assertEquals("short and stout", teapot.body());
    }

    @Test
    void anErrorStatusWithNoBodyGetsTheSiteErrorPage() throws Exception {
        HttpResponse<String> r = get("/missing.php");
        assertEquals(404, r.statusCode());
        assertFalse(r.body().isEmpty(), "the core's error page");
    }

    @Test
    void stderrIsLoggedAndTheAnswerStillServed() throws Exception {
        assertEquals("logged", get("/stderr.php").body());
    }

    @Test
    void aLargeAnswerIsStreamed() throws Exception {
        HttpResponse<InputStream> r = CLIENT.send(HttpRequest.newBuilder(server.uri("/big.php?mib=8")).build(),
                HttpResponse.BodyHandlers.ofInputStream());
        assertEquals(200, r.statusCode());
        long n;
        try (InputStream in = r.body()) {
            n = in.transferTo(OutputStream.nullOutputStream());
        }
        assertEquals(8L << 20, n);
    }

    @Test
    void aHeadRequestGetsTheHeadersOfAGetNotALengthOfZero() throws Exception {
        HttpResponse<String> declared = CLIENT.send(HttpRequest.newBuilder(server.uri("/length.php"))
                .method("HEAD", HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, declared.statusCode());
        assertEquals("10", declared.headers().firstValue("Content-Length").orElse("none"), "PHP's own length");
        HttpResponse<String> undeclared = CLIENT.send(HttpRequest.newBuilder(server.uri("/index.php"))
                .method("HEAD", HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, undeclared.statusCode());
        // a GET's length is known only once the script has written it: left out (RFC 9110 §9.3.2), never 0
        assertEquals("none", undeclared.headers().firstValue("Content-Length").orElse("none"));
        assertEquals("10", get("/length.php").headers().firstValue("Content-Length").orElse("none"));
        assertEquals(404, CLIENT.send(HttpRequest.newBuilder(server.uri("/missing.php"))
                .method("HEAD", HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString()).statusCode());
    }

    @Test
    void aHeadRequestReleasesItsConnection() throws Exception {
        for (int i = 0; i < fpm.workers() + 2; i++) {
            HttpResponse<String> r = CLIENT.send(HttpRequest.newBuilder(server.uri("/index.php"))
                    .method("HEAD", HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, r.statusCode());
        }
        assertEquals("root index", get("/index.php").body());
    }

    @Test
    void aSleepingScriptIs504() throws Exception {
        long start = System.nanoTime();
        HttpResponse<String> r = get("/sleep.php?s=5");
        assertEquals(504, r.statusCode());
        long ms = (System.nanoTime() - start) / 1_000_000;
        assertTrue(ms >= 1900 && ms < 4500, "answer timeout is 2s, took " + ms + " ms");
    }

    @Test
    void onlyAScriptFileUnderTheSiteRuns() throws Exception {
        HttpResponse<String> cat = get("/uploads/cat.jpg/x.php");
        assertEquals(404, cat.statusCode());
        assertFalse(cat.body().contains("RAN THE IMAGE"));
        assertFalse(get("/uploads/cat.jpg/").body().contains("RAN THE IMAGE"));
        assertEquals(404, get("/nothing.php").statusCode());
        assertFalse(get("/.hidden.php").body().contains("RAN"));
        assertFalse(get("/.git/x.php").body().contains("RAN"));
    }

    @Test
    void neverServedScriptsNeverRun() throws Exception {
        Path secret = dir.resolve("www/secret.php");
        Files.writeString(secret, "<?php echo 'RAN A SECRET';");
        server.neverServed().add(secret.toRealPath());
        assertFalse(get("/secret.php").body().contains("RAN"));
    }

    @Test
    void aFrontControllerRunsForPathsWithNoFile() throws Exception {
        try (PortaTestServer s = server(dir.resolve("www"), "fastcgi.front-controller = /front.php\n")) {
            assertEquals("front /blog/2024/hello?x=1 /front.php", get(s, "/blog/2024/hello?x=1").body());
            assertEquals(404, get(s, "/uploads/cat.jpg").statusCode(), "an existing file is not the front controller's");
            assertEquals("root index", get(s, "/index.php").body());
        }
    }

    @Test
    void anExhaustedPoolIs503AfterTheConnectTimeout() throws Exception {
        try (PortaTestServer s = server(dir.resolve("www"), "fastcgi.max-connections = 1\nfastcgi.connect-timeout = 300ms\n")) {
            CompletableFuture<HttpResponse<String>> slow = CLIENT.sendAsync(HttpRequest.newBuilder(s.uri("/sleep.php?s=2")).build(),
                    HttpResponse.BodyHandlers.ofString());
            Thread.sleep(300);
            assertEquals(503, get(s, "/index.php").statusCode());
            assertEquals("woke", slow.get().body());
            assertEquals("root index", get(s, "/index.php").body(), "the connection went back to the pool");
        }
    }

    @Test
    void fpmRestartedOrDownIs502OnlyWhileDown() throws Exception {
        Path fpmDir = Files.createDirectories(dir.resolve("fpm2"));
        try (PhpFpm own = PhpFpm.start(fpmDir, 2);
             PortaTestServer s = PortaTestServer.builder(dir.resolve("www")).config("fastcgi.address = " + own.address() + "\n")
                     .handler("fastcgi", new FastCgi()).start()) {
            assertEquals("root index", get(s, "/index.php").body()); // leaves a pooled connection
            own.stop();
            own.begin();
            assertEquals("root index", get(s, "/index.php").body(), "a kept connection closed by a restart: sent again on a new one");
            assertEquals(200, postForm(s, "name=x").statusCode());
            own.stop();
            own.begin();
            assertEquals(200, postForm(s, "name=x").statusCode(), "a request with a body checks a kept connection before using it");
            own.stop();
            HttpResponse<String> down = get(s, "/index.php");
            assertEquals(502, down.statusCode());
            assertFalse(down.body().isEmpty(), "the site's error page");
            own.begin();
            assertEquals("root index", get(s, "/index.php").body());
        }
    }

    @Test
    void adminerRendersItsLoginPageWithItsStylesAndScripts() throws Exception {
        Path adminer = Path.of("/usr/share/adminer/adminer.php");
        assumeTrue(Files.isReadable(adminer),
                "adminer is not installed (apt-get install --no-install-recommends adminer): skipped");
        // a copy, not a link: a link that leads out of the site folder never runs
        Files.copy(adminer, dir.resolve("www/adminer.php"), StandardCopyOption.REPLACE_EXISTING);
        HttpResponse<String> page = get("/adminer.php");
        assertEquals(200, page.statusCode(), page.body());
        assertTrue(page.body().contains("<form") && page.body().contains("auth[password]"), page.body());
        assertTrue(page.body().contains("SQLite 3"), "the sqlite3 driver is offered: " + page.body());
        Matcher assets = Pattern.compile("(?:href|src)=['\"]adminer\\.php(\\?file=[^'\"]+)").matcher(page.body());
        int found = 0;
        while (assets.find()) {
            String asset = assets.group(1).replace("&amp;", "&");
            HttpResponse<String> r = get("/adminer.php" + asset);
            assertEquals(200, r.statusCode(), asset);
            String type = r.headers().firstValue("Content-Type").orElse("");
            assertTrue(type.startsWith("text/css") || type.contains("javascript") || type.startsWith("image/"), asset + ": " + type);
            found++;
        }
        assertTrue(found >= 2, "the page links its CSS and scripts: " + page.body());
    }

    static void assertVar(String json, String name, String value) {
        String quoted = "\"" + name + "\":\"" + value.replace("/", "\\/") + "\"";
        assertTrue(json.contains(quoted), quoted + " in " + json);
    }

    @Test
    void aScriptReplacedByALinkOutOfTheSiteIsRefusedAtOnce() throws Exception {
        Path root = Files.createDirectories(dir.resolve("relinked/www"));
        Path sub = Files.createDirectories(root.resolve("app"));
        Path script = Files.writeString(sub.resolve("s.php"), "<?php echo 'here';");
        Path outside = Files.writeString(dir.resolve("relinked/outside.php"), "<?php echo 'OUTSIDE';");
        Path inside = Files.writeString(root.resolve("inside.php"), "<?php echo 'inside';");
        try (PortaTestServer s = server(root, "")) {
            for (int i = 0; i < 3; i++) assertEquals("here", get(s, "/app/s.php").body());
            Files.delete(script);
            Files.createSymbolicLink(script, outside);
            HttpResponse<String> r = get(s, "/app/s.php");
            assertFalse(r.body().contains("OUTSIDE"), "the next request already refuses it: " + r.statusCode() + " " + r.body());
            // a link that stays inside the site still runs, as does a folder that is a link
            Files.delete(script);
            Files.createSymbolicLink(script, inside);
            assertEquals("inside", get(s, "/app/s.php").body());
            Files.createSymbolicLink(root.resolve("linked"), sub);
            assertEquals("inside", get(s, "/linked/s.php").body());
            // and a folder swapped for a link out of the site is refused
            Files.delete(script);
            Files.move(sub, root.resolve("old-app"));
            Files.createSymbolicLink(sub, outside.getParent());
            assertFalse(get(s, "/app/outside.php").body().contains("OUTSIDE"));
        }
    }

    @Test
    void aScriptSwappedForALinkWhileItsRequestWaitsForAConnectionDoesNotRun() throws Exception {
        Path root = Files.createDirectories(dir.resolve("waiting/www"));
        Files.writeString(root.resolve("sleep.php"), "<?php usleep(700000); echo 'woke';");
        Path script = Files.writeString(root.resolve("v.php"), "<?php echo 'inside';");
        Path outside = Files.writeString(dir.resolve("waiting/outside.php"), "<?php echo 'OUTSIDE';");
        try (PortaTestServer s = server(root, "fastcgi.max-connections = 1\nfastcgi.connect-timeout = 5s\n")) {
            CompletableFuture<HttpResponse<String>> slow = CLIENT.sendAsync(HttpRequest.newBuilder(s.uri("/sleep.php")).build(),
                    HttpResponse.BodyHandlers.ofString());
            Thread.sleep(200); // the one connection is busy: the next request passes the check, then waits
            CompletableFuture<HttpResponse<String>> waiting = CLIENT.sendAsync(HttpRequest.newBuilder(s.uri("/v.php")).build(),
                    HttpResponse.BodyHandlers.ofString());
            Thread.sleep(200);
            Path swap = root.resolve("v.new");
            Files.createSymbolicLink(swap, outside);
            Files.move(swap, script, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            assertEquals("woke", slow.get().body());
            HttpResponse<String> r = waiting.get();
            assertFalse(r.body().contains("OUTSIDE"), "checked again once the connection was free: " + r.statusCode() + " " + r.body());
            assertEquals(404, r.statusCode());
        }
    }

    @Test
    void clientsTricklingTheirBodiesDoNotHoldPhpFpmConnections() throws Exception {
        try (PortaTestServer s = server(dir.resolve("www"), "fastcgi.max-connections = 1\nfastcgi.connect-timeout = 1s\n")) {
            List<java.net.Socket> slow = new java.util.ArrayList<>();
            try {
                for (int i = 0; i < 2; i++) { // one in memory, one large enough for a file
                    java.net.Socket c = new java.net.Socket("127.0.0.1", s.port());
                    c.getOutputStream().write(("POST /form.php HTTP/1.1\r\nHost: a\r\nContent-Type: application/x-www-form-urlencoded\r\n"
                            + "Content-Length: " + (i == 0 ? 100 : 100_000) + "\r\n\r\nname=").getBytes(StandardCharsets.US_ASCII));
                    c.getOutputStream().flush();
                    slow.add(c);
                }
                Thread.sleep(300);
                for (int i = 0; i < 3; i++) {
                    HttpResponse<String> r = get(s, "/index.php");
                    assertEquals(200, r.statusCode(), "the trickling clients hold no connection to PHP-FPM: " + r.body());
                }
                // a whole body still reaches PHP
                java.net.Socket c = slow.get(0);
                c.getOutputStream().write("x".repeat(95).getBytes(StandardCharsets.US_ASCII));
                c.getOutputStream().flush();
                c.setSoTimeout(5000);
                String answer = new String(c.getInputStream().readNBytes(12), StandardCharsets.US_ASCII);
                assertEquals("HTTP/1.1 200", answer);
            } finally {
                for (java.net.Socket c : slow) c.close();
            }
        }
    }

    @Test
    void clientsThatDoNotReadTheirAnswersDoNotHoldPhpFpmConnections() throws Exception {
        try (PortaTestServer s = server(dir.resolve("www"), "fastcgi.max-connections = 1\nfastcgi.connect-timeout = 1s\n")) {
            List<java.net.Socket> stalled = new java.util.ArrayList<>();
            try {
                for (int i = 0; i < 2; i++) { // 8 MiB each, far more than the sockets' buffers hold
                    java.net.Socket c = new java.net.Socket();
                    c.setReceiveBufferSize(4096);
                    c.connect(new java.net.InetSocketAddress("127.0.0.1", s.port()));
                    c.getOutputStream().write("GET /big.php?mib=8 HTTP/1.1\r\nHost: a\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                    c.getOutputStream().flush();
                    stalled.add(c);
                }
                Thread.sleep(1500); // PHP writes its 8 MiB in a fraction of that
                for (int i = 0; i < 3; i++) {
                    HttpResponse<String> r = get(s, "/index.php");
                    assertEquals(200, r.statusCode(), "the stalled clients hold no connection to PHP-FPM: " + r.body());
                }
                // and each stalled client still gets its whole answer when it reads at last
                java.net.Socket c = stalled.get(0);
                c.setSoTimeout(10_000);
                InputStream in = new java.io.BufferedInputStream(c.getInputStream());
                StringBuilder head = new StringBuilder();
                while (!head.toString().endsWith("\r\n\r\n")) head.append((char) in.read());
                assertTrue(head.toString().startsWith("HTTP/1.1 200"), head.toString());
                long n = 0;
                if (head.toString().toLowerCase(java.util.Locale.ROOT).contains("transfer-encoding: chunked")) {
                    for (String size; !(size = readLine(in)).equals("0"); ) {
                        int len = Integer.parseInt(size.trim(), 16);
                        n += in.readNBytes(len).length;
                        readLine(in);
                    }
                } else {
                    n = in.readNBytes(8 << 20).length;
                }
                assertEquals(8L << 20, n);
            } finally {
                for (java.net.Socket c : stalled) c.close();
            }
        }
    }

    static String readLine(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        for (int b; (b = in.read()) >= 0 && b != '\n'; ) if (b != '\r') line.append((char) b);
        return line.toString();
    }

    static String md5(byte[] data) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(data));
    }
}

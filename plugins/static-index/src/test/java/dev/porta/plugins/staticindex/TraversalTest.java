package dev.porta.plugins.staticindex;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.porta.server.http.HttpException;
import dev.porta.server.http.RequestTarget;
import dev.porta.server.testing.RawClient;
import dev.porta.testkit.PortaTestServer;
import dev.porta.spi.Attributes;
import dev.porta.spi.Body;
import dev.porta.spi.Headers;
import dev.porta.spi.Request;
import dev.porta.spi.Response;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** No spelling of a path reaches a byte outside the root, or a dotfile inside it. */
class TraversalTest {

    static final String OUTSIDE = "TOP-SECRET-OUTSIDE";
    static final String DOTFILE = "TOP-SECRET-DOTFILE";

    @TempDir
    static Path dir;
    static Path root;
    static PortaTestServer server;
    static StaticIndex handler;

    @BeforeAll
    static void start() throws IOException {
        root = Files.createDirectories(dir.resolve("www"));
        Files.writeString(dir.resolve("secret.txt"), OUTSIDE);
        Files.createDirectories(dir.resolve("%2e%2e"));
        Files.writeString(root.resolve(".secret"), DOTFILE);
        Files.createDirectories(root.resolve("a/b"));
        Files.writeString(root.resolve("a/b/ok.txt"), "fine");
        Files.createDirectories(root.resolve("%2e%2e"));
        Files.writeString(root.resolve("%2e%2e/secret.txt"), "literal name inside the root");
        handler = new StaticIndex();
        server = PortaTestServer.builder(root).handler("static-index", handler).start();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "/../secret.txt", "/../../secret.txt", "/a/../../secret.txt", "/a/b/../../../secret.txt",
        "/%2e%2e/secret.txt", "/%2E%2E/secret.txt", "/%2e./secret.txt", "/.%2e/secret.txt", "/a/%2e%2e/%2e%2e/secret.txt",
        "/..%2fsecret.txt", "/..%2Fsecret.txt", "/%2e%2e%2fsecret.txt", "/a/..%2f..%2fsecret.txt",
        "/..\\secret.txt", "/..%5csecret.txt", "/..%5Csecret.txt", "/a\\..\\..\\secret.txt",
        "/%c0%ae%c0%ae/secret.txt", "/%c0%ae%c0%ae%c0%afsecret.txt", "/%e0%80%ae%e0%80%ae/secret.txt", "/%c1%9c",
        "/..%00/secret.txt", "/secret.txt%00.html", "/%00", "/..;/secret.txt",
        "/C:/secret.txt", "/C:%5csecret.txt", "/c:\\secret.txt", "//server/share/secret.txt", "/\\\\server\\share",
        "/.secret", "/a/../.secret", "/%2esecret", "/a/%2e%2e/.secret", "/.secret/", "/./.secret", "//.secret",
        "/.%73ecret", "/a/b/../../.secret", "/%252e%252e/secret.txt",
        "http://host/../secret.txt", "/..", "/.", "/../", "/...", "/a/....//secret.txt",
    })
    void noSpellingLeaksASecret(String target) throws IOException {
        String response = RawClient.exchange(server.port(), "GET " + target + " HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n");
        assertFalse(response.contains(OUTSIDE), target + " leaked the file outside the root");
        assertFalse(response.contains(DOTFILE), target + " leaked the dotfile");
        int status = Integer.parseInt(response.substring(9, 12));
        assertTrue(Set.of(400, 404, 301, 200).contains(status), target + " -> " + status);
    }

    @Test
    void doubleEncodingReachesTheDiskAsALiteralName() throws IOException {
        String response = RawClient.exchange(server.port(), "GET /%252e%252e/secret.txt HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n");
        assertTrue(response.startsWith("HTTP/1.1 200 "), response);
        assertTrue(response.endsWith("literal name inside the root"), response);
    }

    /** Property: for random targets, whatever the core accepts, the handler never answers with a secret. */
    @Test
    void noGeneratedPathReachesASecret() throws IOException {
        String[] pieces = {"..", ".", "%2e%2e", "%2e", ".%2e", "%2e.", "a", "b", "ok.txt", "secret.txt", ".secret",
            "%2esecret", "%252e%252e", "", "%c0%ae", "..%2f", "%5c", "\\", "%00", "C:", "~"};
        Random random = new Random(7);
        InetSocketAddress local = new InetSocketAddress("127.0.0.1", 80);
        int served = 0;
        for (int i = 0; i < 5000; i++) {
            StringBuilder target = new StringBuilder();
            int n = 1 + random.nextInt(6);
            for (int k = 0; k < n; k++) target.append('/').append(pieces[random.nextInt(pieces.length)]);
            RequestTarget parsed;
            try {
                parsed = RequestTarget.parse(target.toString());
            } catch (HttpException e) {
                continue;
            }
            Request request = Request.builder().target(target.toString()).path(parsed.path()).query(parsed.query())
                    .headers(Headers.of("Host", "a")).client(local).body(new ByteArrayInputStream(new byte[0])).build();
            Response response = handler.handle(request, r -> Response.notHandled());
            String body = bodyText(response.body());
            assertFalse(body.contains(OUTSIDE) || body.contains(DOTFILE), target + " -> " + parsed.path());
            if (response.status() == 200) served++;
        }
        assertTrue(served > 0, "some generated paths should reach real files");
    }

    private static String bodyText(Body body) throws IOException {
        return switch (body) {
            case Body.Bytes b -> new String(b.bytes(), StandardCharsets.UTF_8);
            case Body.FileRegion f -> Files.readString(f.file());
            case Body.Stream s -> new String(s.in().readAllBytes(), StandardCharsets.UTF_8);
            case Body.Empty e -> "";
            default -> throw new IllegalStateException("static-index sends no other kind of body: " + body);
        };
    }

    @Test
    void theTableHasAtLeastThirtySpellings() throws Exception {
        ValueSource source = getClass().getDeclaredMethod("noSpellingLeaksASecret", String.class).getAnnotation(ValueSource.class);
        assertTrue(source.strings().length >= 30);
        assertEquals("fine", fetch("/a/b/ok.txt"));
    }

    private static String fetch(String path) throws IOException {
        String r = RawClient.exchange(server.port(), "GET " + path + " HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n");
        return r.substring(r.indexOf("\r\n\r\n") + 4);
    }
}

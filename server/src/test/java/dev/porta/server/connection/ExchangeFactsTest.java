package dev.porta.server.connection;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.porta.server.testing.RawClient;
import dev.porta.server.EmbeddedPorta;
import dev.porta.spi.Body;
import dev.porta.spi.CompletedExchange;
import dev.porta.spi.Handler;
import dev.porta.spi.Response;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What handlers and observers learn about an exchange: the scheme, and which plugin answered. */
class ExchangeFactsTest {

    @TempDir
    Path root;

    static final Handler SCHEME = (request, chain) -> request.path().equals("/scheme")
            ? Response.of(200).withBody(Body.of(request.scheme() + " " + request.tls().isPresent()))
            : chain.next(request);

    static String get(EmbeddedPorta server, String path, String... headers) throws Exception {
        StringBuilder req = new StringBuilder("GET " + path + " HTTP/1.1\r\nHost: a\r\nConnection: close\r\n");
        for (String h : headers) req.append(h).append("\r\n");
        String r = RawClient.exchange(server.port(), req.append("\r\n").toString());
        return r.substring(r.indexOf("\r\n\r\n") + 4);
    }

    static CompletedExchange byPath(List<CompletedExchange> seen, String path) {
        return seen.stream().filter(e -> e.request().map(r -> r.path().equals(path)).orElse(false)).findFirst().orElseThrow();
    }

    @Test
    void theSchemeIsHttpAndOnlyATrustedProxyMayChangeIt() throws Exception {
        try (EmbeddedPorta untrusted = EmbeddedPorta.builder(root).handler("s", SCHEME).start()) {
            assertEquals("http false", get(untrusted, "/scheme"));
            assertEquals("http false", get(untrusted, "/scheme", "X-Forwarded-Proto: https"));
        }
        try (EmbeddedPorta behindProxy = EmbeddedPorta.builder(root).config("server.trusted-proxies = 127.0.0.1\n").handler("s", SCHEME).start()) {
            assertEquals("https false", get(behindProxy, "/scheme", "X-Forwarded-Proto: https"));
            assertEquals("https false", get(behindProxy, "/scheme", "X-Forwarded-Proto: http, HTTPS"));
            assertEquals("http false", get(behindProxy, "/scheme", "X-Forwarded-Proto: gopher"));
            assertEquals("http false", get(behindProxy, "/scheme"));
        }
    }

    @Test
    void theCoreNeverSendsANeverServedFileWhicheverPluginReturnsIt() throws Exception {
        java.nio.file.Files.writeString(root.resolve("users.htpasswd"), "alice:$2y$10$secret");
        java.nio.file.Files.writeString(root.resolve("fine.txt"), "fine");
        Handler careless = (request, chain) -> {
            Path file = root.resolve(request.path().substring(1));
            return Response.of(200).withBody(new Body.FileRegion(file, 0, java.nio.file.Files.size(file)));
        };
        try (EmbeddedPorta server = EmbeddedPorta.builder(root).handler("careless", careless).start()) {
            server.neverServed().add(root.resolve("users.htpasswd"));
            assertEquals("fine", get(server, "/fine.txt"));
            String refused = RawClient.exchange(server.port(), "GET /users.htpasswd HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n");
            assertTrue(refused.startsWith("HTTP/1.1 404"), refused);
            assertTrue(!refused.contains("secret"), refused);
        }
    }

    @Test
    void observersLearnWhichPluginAnswered() throws Exception {
        Handler guard = (request, chain) -> request.path().startsWith("/private") ? Response.of(401) : chain.next(request);
        Handler content = (request, chain) -> request.path().startsWith("/missing") ? chain.next(request)
                : Response.of(200).withBody(Body.of("content"));
        try (EmbeddedPorta server = EmbeddedPorta.builder(root).handler("guard", guard).handler("content", content).start()) {
            get(server, "/page");
            get(server, "/private/x");
            get(server, "/missing");
            RawClient.exchange(server.port(), "GET / HTTP/1.1\r\n\r\n"); // no Host: the core refuses it
            List<CompletedExchange> seen = server.awaitExchanges(4); // in the order they finished, not sent
            assertEquals(Optional.of("content"), byPath(seen, "/page").answeredBy());
            assertEquals(Optional.of("guard"), byPath(seen, "/private/x").answeredBy());
            assertEquals(Optional.empty(), byPath(seen, "/missing").answeredBy(), "nobody took it: 404 from the core");
            assertEquals(404, byPath(seen, "/missing").status());
            CompletedExchange refused = seen.stream().filter(e -> e.status() == 400).findFirst().orElseThrow();
            assertEquals(Optional.empty(), refused.answeredBy());
            assertEquals(400, refused.status());
        }
    }
}

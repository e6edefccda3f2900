package dev.porta.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class RequestTest {

    static final InetSocketAddress CLIENT = new InetSocketAddress("127.0.0.1", 1);

    static Request request(String path) {
        return Request.builder().path(path).client(CLIENT).build();
    }

    @ParameterizedTest
    @ValueSource(strings = {"relative", "", "/a//b", "/a/./b", "/a/../b", "/..", "/a\\b", "/a\u0000b", "/a\nb", "/a\rb",
        "/a\tb", "/a\u001fb", "/a\u007fb"})
    void withPathRefusesWhatTheDecoderRefuses(String path) {
        Request r = request("/ok");
        assertThrows(IllegalArgumentException.class, () -> r.withPath(path));
        assertThrows(IllegalArgumentException.class, () -> request(path));
    }

    @ParameterizedTest
    @ValueSource(strings = {"/", "/a", "/a/b/", "/ä ö/…", "/a..b/.c", "/%2e"})
    void withPathTakesWhatTheDecoderMayProduce(String path) {
        assertEquals(path, request("/ok").withPath(path).path());
    }

    @Test
    void aCopySharesTheBodyAndAttributesAndKeepsEverythingElse() {
        Request r = Request.builder().method("POST").path("/a").query("x=1").scheme("https")
                .tls(TlsInfo.of("TLSv1.3", "TLS_AES_128_GCM_SHA256")).headers(Headers.of("Host", "h")).client(CLIENT).build();
        Request copy = r.withPath("/b");
        assertEquals("/b", copy.path());
        assertEquals("/a?x=1", copy.target(), "the target stays as sent");
        assertEquals("POST", copy.method());
        assertEquals("https", copy.scheme());
        assertEquals("TLSv1.3", copy.tls().orElseThrow().protocol());
        assertSame(r.body(), copy.body());
        assertSame(r.attributes(), copy.attributes());
        assertNotEquals(r, copy, "requests are equal only to themselves");
    }

    @Test
    void theSchemeIsHttpOrHttps() {
        assertEquals("http", request("/").scheme());
        assertTrue(request("/").tls().isEmpty());
        assertThrows(IllegalArgumentException.class, () -> Request.builder().scheme("ftp").client(CLIENT).build());
        assertThrows(NullPointerException.class, () -> Request.builder().build(), "a request needs a client");
    }
}

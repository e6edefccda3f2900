package dev.porta.plugins.requestlog;

import dev.porta.spi.CompletedExchange;
import dev.porta.spi.Headers;
import dev.porta.spi.Request;
import java.io.ByteArrayInputStream;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;

/** Finished exchanges built by hand, for the formats' unit tests. */
final class Exchanges {

    static final InetSocketAddress CLIENT = new InetSocketAddress("192.0.2.7", 50000);

    private Exchanges() {
    }

    /** {@code GET target} with these request headers (ISO-8859-1 decoded bytes, as the core hands them over). */
    static CompletedExchange get(String target, int status, long bodyBytes, boolean cutShort, String... headers) {
        int q = target.indexOf('?');
        String path = q < 0 ? target : target.substring(0, q);
        String query = q < 0 ? "" : target.substring(q + 1);
        Request request = Request.builder().target(target).path(path).query(query).headers(Headers.of(headers))
                .client(CLIENT).body(new ByteArrayInputStream(new byte[0])).build();
        return CompletedExchange.builder().request(request).requestLine("GET " + target + " HTTP/1.1").status(status)
                .responseHeaders(Headers.of("Content-Type", "application/octet-stream")).bodyBytes(bodyBytes)
                .started(Instant.parse("2026-11-27T10:00:00Z")).duration(Duration.ofMillis(1500)).cutShort(cutShort).build();
    }

    /** {@code GET target} over HTTPS, with what its handshake agreed on. */
    static CompletedExchange getOverTls(String target, String protocol, String cipher) {
        Request request = Request.builder().target(target).path(target).scheme("https").tls(dev.porta.spi.TlsInfo.of(protocol, cipher))
                .client(CLIENT).body(new ByteArrayInputStream(new byte[0])).build();
        return CompletedExchange.builder().request(request).requestLine("GET " + target + " HTTP/1.1").status(200)
                .started(Instant.parse("2026-11-27T10:00:00Z")).duration(Duration.ofMillis(1)).build();
    }

    /** The bytes of {@code text} in UTF-8, one char per byte, as a header value reaches the plugin. */
    static String utf8Bytes(String text) {
        return new String(text.getBytes(java.nio.charset.StandardCharsets.UTF_8), java.nio.charset.StandardCharsets.ISO_8859_1);
    }
}

package dev.porta.plugins.requestlog;

import static dev.porta.plugins.requestlog.Exchanges.get;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class ApacheLogFormatTest {

    @Test
    void aCutShortResponseIsLoggedWithItsStatusAndTheBytesThatWentOut() {
        // as nginx logs an aborted download: the status sent, the body bytes the socket took
        ApacheLogFormat combined = ApacheLogFormat.parse(ApacheLogFormat.COMBINED, ZoneOffset.UTC);
        assertEquals("192.0.2.7 - - [27/Nov/2026:10:00:01 +0000] \"GET /big.iso HTTP/1.1\" 200 2809608 \"-\" \"-\"",
                combined.format(get("/big.iso", 200, 2809608, true)));
        assertEquals("200 2809608", ApacheLogFormat.parse("%>s %b", ZoneOffset.UTC).format(get("/big.iso", 200, 2809608, true)));
    }

    @Test
    void theTlsProtocolAndCipherAsModSslNamesThem() {
        ApacheLogFormat tls = ApacheLogFormat.parse("%{SSL_PROTOCOL}x %{SSL_CIPHER}x \"%r\"", ZoneOffset.UTC);
        assertEquals("TLSv1.3 TLS_AES_128_GCM_SHA256 \"GET /a HTTP/1.1\"",
                tls.format(Exchanges.getOverTls("/a", "TLSv1.3", "TLS_AES_128_GCM_SHA256")));
        assertEquals("- - \"GET /a HTTP/1.1\"", tls.format(get("/a", 200, 0, false)), "plain HTTP: -");
        assertThrows(IllegalArgumentException.class, () -> ApacheLogFormat.parse("%{SSL_CLIENT_S_DN}x", ZoneOffset.UTC));
    }

    @Test
    void theTimeIsTheEndOfTheExchangeInTheZoneAndTheClientIsEachLinesOwn() {
        ApacheLogFormat f = ApacheLogFormat.parse("%h %t", java.time.ZoneId.of("Europe/Paris"));
        // lines come many to a second and the formatter keeps the last second and address: change both back and forth
        for (int round = 0; round < 3; round++) {
            assertEquals("192.0.2.7 [27/Nov/2026:11:00:01 +0100]", f.format(exchange("192.0.2.7", "2026-11-27T10:00:00.600Z", 900)));
            assertEquals("192.0.2.7 [27/Nov/2026:11:00:00 +0100]", f.format(exchange("192.0.2.7", "2026-11-27T10:00:00.000Z", 999)));
            assertEquals("2001:db8:0:0:0:0:0:1 [27/Nov/2026:11:00:02 +0100]",
                    f.format(exchange("2001:db8::1", "2026-11-27T10:00:00.999Z", 1001)));
            assertEquals("198.51.100.1 [31/Dec/2026:23:59:59 +0100]", f.format(exchange("198.51.100.1", "2026-12-31T22:59:59.000Z", 0)));
            assertEquals("198.51.100.1 [01/Jan/2027:00:00:00 +0100]", f.format(exchange("198.51.100.1", "2026-12-31T22:59:59.500Z", 500)));
        }
    }

    private static dev.porta.spi.CompletedExchange exchange(String client, String started, long millis) {
        java.net.InetSocketAddress address = new java.net.InetSocketAddress(client, 40000);
        dev.porta.spi.Request request = dev.porta.spi.Request.builder().target("/").path("/").client(address)
                .body(new java.io.ByteArrayInputStream(new byte[0])).build();
        return dev.porta.spi.CompletedExchange.builder().request(request).requestLine("GET / HTTP/1.1").status(200).client(address)
                .started(java.time.Instant.parse(started)).duration(java.time.Duration.ofMillis(millis)).build();
    }
}

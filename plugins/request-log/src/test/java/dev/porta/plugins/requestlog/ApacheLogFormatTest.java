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
}
